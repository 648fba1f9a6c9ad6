#pragma once
// The one place where the viewer's state changes: the frame's commands, then the results of
// finished tasks and the decode events, then the derived values. Called by the viewer once per
// frame after the UI is drawn, and by the doctest suite (tests/gui_model) without a window.
#include "app_state.hpp"
#include "state/tasks.hpp"
#include "state/video_source.hpp"

namespace idm::gui {

struct ViewerContext {
  AppState& state;
  VideoSource& video;
  TaskRegistry& tasks;
};

// Applies one command. Returns false for the ones the window handles itself (ExportPng,
// ExportMp4, CancelMp4, RunModel: they need GL or the model-run UI).
bool apply_command(ViewerContext& context, Command& command);

// The frame's apply point: task results are added to `queue`, every command is applied in
// order (the window's own ones are moved to `window_commands`), decode events are drained,
// and derived values are rebuilt or their tasks started. Returns how many commands were applied
// (the window draws again after any: what it drew this frame came before them).
size_t apply_frame(ViewerContext& context, CommandQueue& queue, CommandQueue& window_commands);

// Rebuilds the derived values whose inputs changed: the clip's evaluations and the metrics rows
// now (cheap), the sources' dataset scores in a task (costly).
void refresh_derived(ViewerContext& context);

}  // namespace idm::gui
