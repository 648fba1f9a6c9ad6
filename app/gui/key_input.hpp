#pragma once
// Key chords from the keymap, read through ImGui (imgui 1.86: GLFW key codes). Main thread.
#include <string>

#include "config/keymap.hpp"

namespace idm::gui {

// GLFW key code of a canonical key name, or -1.
int glfw_key_code(const std::string& name);
// The chord was pressed this frame, with exactly its modifiers held.
bool chord_pressed(const KeyChord& chord, bool repeat);
// Shortcuts may fire: no text field has the keyboard and no popup (menu, combo, context menu,
// modal) is open. Typing into a filter or a popup's field never plays, jumps or labels.
bool keyboard_free();
// Any chord of the action was pressed this frame.
bool action_pressed(const KeyMap& map, const char* action, bool repeat = true);

}  // namespace idm::gui
