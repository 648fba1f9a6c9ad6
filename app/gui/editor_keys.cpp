// The editor's keys, through the keymap (keys.json can remap them). Called once per frame
// from the viewer's key handler; nothing here runs while a text field has the keyboard.
#include <GLFW/glfw3.h>

#include "editor.hpp"
#include "key_input.hpp"

namespace idm::gui {

void handle_editor_keys(const AppState& state, const KeyMap& keys, CommandQueue& commands) {
  if (!keyboard_free() || !state.editor.document.is_open()) return;
  if (state.editor.document.pending_merge()) return;  // the merge dialog has the keyboard
  if (action_pressed(keys, "undo")) commands.push_back(cmd::EditorUndo{});
  if (action_pressed(keys, "redo")) commands.push_back(cmd::EditorRedo{});
  if (action_pressed(keys, "save", false)) commands.push_back(cmd::EditorSave{});
  const Visibility labels[] = {Visibility::Visible, Visibility::Inferable, Visibility::Ambiguous, Visibility::NotPredictable};
  const char* label_actions[] = {"label_visible", "label_inferable", "label_ambiguous", "label_not_predictable"};
  for (int i = 0; i < kVisibilityCount; ++i) {
    if (action_pressed(keys, label_actions[i], false)) commands.push_back(cmd::EditorLabel{labels[i]});
  }
  if (action_pressed(keys, "next_action")) commands.push_back(cmd::EditorSelectStep{1});
  if (action_pressed(keys, "previous_action")) commands.push_back(cmd::EditorSelectStep{-1});
  if (action_pressed(keys, "delete_action", false)) commands.push_back(cmd::EditorDeleteSelected{});
  if (action_pressed(keys, "edit_detail", false)) commands.push_back(cmd::EditorBeginDetail{});
  if (action_pressed(keys, "add_action", false)) commands.push_back(cmd::EditorBeginAdd{});
}

}  // namespace idm::gui
