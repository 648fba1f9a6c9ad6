#pragma once
// State changes of the viewer, applied between frames on the main thread.
#include "app_state.hpp"

namespace idm::gui {

// Opens a dataset (replacing the current one and its sources) and remembers it as recent.
void open_dataset(AppState& state, DecodeService& service, const std::string& path);
// Adds a prediction source (results file or per-clip folder) to the open dataset.
void add_source(AppState& state, const std::string& path);
void remove_source(AppState& state, size_t index);
// A dropped or picked path: a dataset folder opens, a .json file or other folder is a source.
void open_path(AppState& state, DecodeService& service, const std::string& path);

// Selects a clip: asks the decode service for its grid, evaluates every source on it.
void select_clip(AppState& state, DecodeService& service, int clip_index);
void select_clip_by_key(AppState& state, DecodeService& service, const std::string& key);
// Re-scores the selected clip under every source (after an edit of its labels or overrides).
void reevaluate_clip(AppState& state);
// Moves the playhead (clamped to the grid).
void set_grid_frame(AppState& state, int grid_frame);
// Applies decode events of the current clip; stale generations are dropped.
void drain_decode_events(AppState& state, DecodeService& service);
// Advances playback by dt seconds: on the grid clock, or (play_native) through every source
// frame at its own pts, asking the decode service for each. Loops or stops at the ends.
void advance_playback(AppState& state, DecodeService& service, double dt_s);
// Shows native (source) frame `source_frame` between grid frames; the service decodes it.
void show_native(AppState& state, DecodeService& service, int source_frame);
// Steps one native frame from what is shown.
void step_native(AppState& state, DecodeService& service, int delta);
// J/K/L as in video players: J backwards, K pause, L forwards; repeating J/L speeds up.
void jkl(AppState& state, char key);
// Rescores every source under state.profile (after a profile or tolerance change) and
// re-evaluates the current clip.
void rescore_sources(AppState& state);
// The frame currently on screen (the native one between grid frames, else the grid frame).
const CachedFrame* shown_frame(const AppState& state);

}  // namespace idm::gui

namespace idm::gui {
// Adds a loaded source, or replaces the one with the same path (a run's lanes filling in).
void set_source(AppState& state, PredictionSet predictions);
}  // namespace idm::gui
