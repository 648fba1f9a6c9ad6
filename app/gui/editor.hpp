#pragma once
// The labelling / override editor's keys, panel and lane badges: they read AppState and emit
// commands (the operations are in editor_actions.hpp).
#include <imgui.h>

#include "app_state.hpp"
#include "editor_actions.hpp"
#include "config/keymap.hpp"
#include "panels.hpp"

namespace idm::gui {

// Keys 1-4, Tab, Shift+Tab, Ctrl+Z, Ctrl+Shift+Z, Ctrl+Y, Ctrl+S, Delete, E, A.
void handle_editor_keys(const AppState& state, const KeyMap& keys, CommandQueue& commands);
// The editor panel beside the video: action list, three-way view, detail editing, history.
// Writes only the panel's own fields of EditorState (text buffers, focus, scroll).
void draw_editor(AppState& state, CommandQueue& commands);
// In a GT lane: the label badge and provenance/selection outline of one item; a click on it
// asks for it to be selected.
void draw_gt_badge(ImDrawList* draw, const ImVec4& box, const GtOutcome& gt, const AppState& state, PanelRequests& requests);

}  // namespace idm::gui
