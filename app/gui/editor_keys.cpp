// The editor's keys, through the keymap (keys.json can remap them). Called once per frame
// from the viewer's key handler; nothing here runs while a text field has the keyboard.
#include <GLFW/glfw3.h>

#include "editor.hpp"
#include "key_input.hpp"

namespace idm::gui {

void handle_editor_keys(AppState& state, const KeyMap& keys) {
  ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput || !state.editor.document.is_open()) return;
  if (state.editor.document.pending_merge()) return;  // the merge dialog has the keyboard
  if (action_pressed(keys, "undo")) editor_undo(state);
  if (action_pressed(keys, "redo")) editor_redo(state);
  if (action_pressed(keys, "save", false)) editor_save(state);
  const Visibility labels[] = {Visibility::Visible, Visibility::Inferable, Visibility::Ambiguous, Visibility::NotPredictable};
  const char* label_actions[] = {"label_visible", "label_inferable", "label_ambiguous", "label_not_predictable"};
  for (int i = 0; i < kVisibilityCount; ++i) {
    if (action_pressed(keys, label_actions[i], false)) editor_label(state, labels[i]);
  }
  if (action_pressed(keys, "next_action")) editor_select_step(state, 1);
  if (action_pressed(keys, "previous_action")) editor_select_step(state, -1);
  if (action_pressed(keys, "delete_action", false)) editor_delete_selected(state);
  if (action_pressed(keys, "edit_detail", false)) editor_begin_detail(state);
  if (action_pressed(keys, "add_action", false)) editor_begin_add(state);
}

}  // namespace idm::gui
