#pragma once
// The viewer's state operations: called only by the command handlers (state/apply.cpp), on
// the main thread, at the frame's apply point. No file I/O, no scoring of the dataset, no
// decoding here: the video source decodes on its own thread and slow work is a task.
#include "app_state.hpp"
#include "state/video_source.hpp"

namespace idm::gui {

// A notice for the user: logged once (newest first); warnings and errors also go to stderr.
void notify(AppState& state, NoticeCode code, Severity severity, std::string where, std::string message);

// Installs a loaded dataset (replacing the current one and its sources) and selects clip 0.
void install_dataset(AppState& state, VideoSource& video, const std::string& path, Dataset dataset);
// Adds a loaded source, or replaces the one with the same path (a run's lanes filling in).
void set_source(AppState& state, PredictionSet predictions);
void remove_source(AppState& state, size_t index);

// Selects a clip: asks the video source for its grid (the evaluations follow as derived data).
void select_clip(AppState& state, VideoSource& video, int clip_index);
void select_clip_by_key(AppState& state, VideoSource& video, const std::string& key);
// Moves the playhead (clamped to the grid).
void set_grid_frame(AppState& state, int grid_frame);
// Applies decode events of the current clip; stale generations are dropped. Returns how many
// were applied.
size_t drain_decode_events(AppState& state, VideoSource& video);
// Advances playback by dt seconds: on the grid clock, or (play_native) through every source
// frame at its own pts, asking the video source for each. Loops or stops at the ends.
void advance_playback(AppState& state, VideoSource& video, double dt_s);
// Shows native (source) frame `source_frame` between grid frames; the service decodes it.
void show_native(AppState& state, VideoSource& video, int source_frame);
// Steps one native frame from what is shown.
void step_native(AppState& state, VideoSource& video, int delta);
// J/K/L as in video players: J backwards, K pause, L forwards; repeating J/L speeds up.
void jkl(AppState& state, char key);
// Re-evaluates the selected clip under every source now (one clip: cheap), if its inputs
// changed since the last time. Part of refresh_derived; the editor calls it for its F1 deltas.
void refresh_clip_evaluations(AppState& state);
// The frame currently on screen (the native one between grid frames, else the grid frame).
const CachedFrame* shown_frame(const AppState& state);

}  // namespace idm::gui
