// The editor's keys (imgui 1.86: IsKeyPressed takes GLFW key codes). Called once per frame
// from the viewer's key handler; nothing here runs while a text field has the keyboard.
#include <GLFW/glfw3.h>

#include "editor.hpp"

namespace idm::gui {

void handle_editor_keys(AppState& state) {
  ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput || !state.editor.document.is_open()) return;
  if (state.editor.document.pending_merge()) return;  // the merge dialog has the keyboard
  if (io.KeyCtrl) {
    if (ImGui::IsKeyPressed(GLFW_KEY_Z)) {
      if (io.KeyShift) editor_redo(state);
      else editor_undo(state);
    }
    if (ImGui::IsKeyPressed(GLFW_KEY_Y)) editor_redo(state);
    if (ImGui::IsKeyPressed(GLFW_KEY_S, false)) editor_save(state);
    return;  // Ctrl+E, Ctrl+R, Ctrl+O... belong to other panels
  }
  if (io.KeyAlt || io.KeySuper) return;
  const Visibility labels[] = {Visibility::Visible, Visibility::Inferable, Visibility::Ambiguous, Visibility::NotPredictable};
  for (int i = 0; i < kVisibilityCount; ++i) {
    if (ImGui::IsKeyPressed(GLFW_KEY_1 + i, false) || ImGui::IsKeyPressed(GLFW_KEY_KP_1 + i, false)) editor_label(state, labels[i]);
  }
  if (ImGui::IsKeyPressed(GLFW_KEY_TAB)) editor_select_step(state, io.KeyShift ? -1 : 1);
  if (ImGui::IsKeyPressed(GLFW_KEY_DELETE, false)) editor_delete_selected(state);
  if (ImGui::IsKeyPressed(GLFW_KEY_E, false)) editor_begin_detail(state);
  if (ImGui::IsKeyPressed(GLFW_KEY_A, false)) editor_begin_add(state);
}

}  // namespace idm::gui
