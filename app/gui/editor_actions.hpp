#pragma once
// The labelling / override editor's operations on AppState::editor and its document, called
// only by the command handlers (state/apply.cpp) on the main thread. Reading the side files
// (opening a clip for editing) and writing them (save, autosave, merge, the save before leaving
// a clip) run as tasks on a copy of the document; editor commands that arrive meanwhile wait
// for the save to come back (AppState::deferred_editor).
#include "state/apply.hpp"

namespace idm::gui {

// Once per frame: follows the selected clip (saving the previous one's edits first) and
// starts the autosave a moment after the last edit.
void editor_sync(ViewerContext& context);
// How long the UI may sleep before the autosave is due (a large number when none is pending).
double editor_seconds_until_autosave(const AppState& state);
// Before quitting (after the frame loop, tasks joined): saves now, merging a conflict, or
// writes a rescue file. Runs on the calling thread.
void editor_flush_before_leaving(AppState& state);
// An editor command (Editor*, SetAutosave) or the result of an editor task.
void apply_editor_command(ViewerContext& context, Command& command);
bool is_editor_command(const Command& command);

}  // namespace idm::gui
