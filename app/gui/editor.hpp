#pragma once
// The labelling / override editor of the viewer (issue 7): actions on AppState::editor and
// its document, called from the key handler, the editor panel and the timeline, all on the
// main thread. Every edit re-scores the clip at once and records its F1 change per source.
#include <imgui.h>

#include "app_state.hpp"
#include "config/keymap.hpp"
#include "panels.hpp"

namespace idm::gui {

// Once per frame: follows the selected clip (saving the previous one's edits first) and
// autosaves a moment after the last edit.
void editor_sync(AppState& state);
// How long the UI may sleep before the autosave is due (a large number when none is pending).
double editor_seconds_until_autosave(const AppState& state);
// Saves now if there are unsaved edits (autosave).
void editor_flush(AppState& state);
// Before leaving a clip or quitting: saves, merging a conflict, or writes a rescue file.
void editor_flush_before_leaving(AppState& state);

void editor_select(AppState& state, int label_index);  // moves the playhead to its frame
void editor_select_step(AppState& state, int direction);  // Tab / Shift+Tab in GT order
// Labels the bulk selection (or else the selected action), then selects the next unlabelled one.
void editor_label(AppState& state, Visibility label);
void editor_undo(AppState& state);
void editor_redo(AppState& state);
void editor_save(AppState& state);
void editor_delete_selected(AppState& state);
void editor_restore(AppState& state, int canonical_index);
bool editor_edit_detail(AppState& state, const std::string& detail);
bool editor_add(AppState& state, const Action& action);
void editor_accept_merge(AppState& state);  // the merge dialog's "Save merged"
void editor_begin_detail(AppState& state);  // E
void editor_begin_add(AppState& state);     // A

// Keys 1-4, Tab, Shift+Tab, Ctrl+Z, Ctrl+Shift+Z, Ctrl+Y, Ctrl+S, Delete, E, A.
void handle_editor_keys(AppState& state, const KeyMap& keys);
// The editor panel beside the video: action list, three-way view, detail editing, history.
void draw_editor(AppState& state);
// In a GT lane: the label badge and provenance/selection outline of one item; a click on it
// asks for it to be selected.
void draw_gt_badge(ImDrawList* draw, const ImVec4& box, const GtOutcome& gt, const AppState& state, PanelRequests& requests);

}  // namespace idm::gui
