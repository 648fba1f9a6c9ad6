#include "key_input.hpp"

#include <GLFW/glfw3.h>
#include <imgui.h>

#include <map>

namespace idm::gui {

int glfw_key_code(const std::string& name) {
  static const std::map<std::string, int> codes = [] {
    std::map<std::string, int> table;
    for (char c = 'A'; c <= 'Z'; ++c) table[std::string(1, c)] = GLFW_KEY_A + (c - 'A');
    for (char c = '0'; c <= '9'; ++c) table[std::string(1, c)] = GLFW_KEY_0 + (c - '0');
    for (int f = 1; f <= 12; ++f) table["F" + std::to_string(f)] = GLFW_KEY_F1 + (f - 1);
    for (char c = '0'; c <= '9'; ++c) table[std::string("Keypad") + c] = GLFW_KEY_KP_0 + (c - '0');
    table.insert({{"Left", GLFW_KEY_LEFT},       {"Right", GLFW_KEY_RIGHT},         {"Up", GLFW_KEY_UP},
                  {"Down", GLFW_KEY_DOWN},       {"Home", GLFW_KEY_HOME},           {"End", GLFW_KEY_END},
                  {"PageUp", GLFW_KEY_PAGE_UP},  {"PageDown", GLFW_KEY_PAGE_DOWN},  {"Space", GLFW_KEY_SPACE},
                  {"Tab", GLFW_KEY_TAB},         {"Enter", GLFW_KEY_ENTER},         {"Escape", GLFW_KEY_ESCAPE},
                  {"Backspace", GLFW_KEY_BACKSPACE}, {"Delete", GLFW_KEY_DELETE},   {"Insert", GLFW_KEY_INSERT},
                  {"[", GLFW_KEY_LEFT_BRACKET},  {"]", GLFW_KEY_RIGHT_BRACKET},     {",", GLFW_KEY_COMMA},
                  {".", GLFW_KEY_PERIOD},        {"/", GLFW_KEY_SLASH},             {";", GLFW_KEY_SEMICOLON},
                  {"'", GLFW_KEY_APOSTROPHE},    {"-", GLFW_KEY_MINUS},             {"=", GLFW_KEY_EQUAL},
                  {"`", GLFW_KEY_GRAVE_ACCENT},  {"\\", GLFW_KEY_BACKSLASH}});
    return table;
  }();
  auto it = codes.find(name);
  return it == codes.end() ? -1 : it->second;
}

bool chord_pressed(const KeyChord& chord, bool repeat) {
  int code = glfw_key_code(chord.key);
  if (code < 0 || !ImGui::IsKeyPressed(code, repeat)) return false;
  const ImGuiIO& io = ImGui::GetIO();
  return io.KeyCtrl == chord.ctrl && io.KeyShift == chord.shift && io.KeyAlt == chord.alt;
}

bool keyboard_free() {
  const ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput) return false;
  return !ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId | ImGuiPopupFlags_AnyPopupLevel);
}

bool action_pressed(const KeyMap& map, const char* action, bool repeat) {
  for (const KeyChord& chord : map.chords(action)) {
    if (chord_pressed(chord, repeat)) return true;
  }
  return false;
}

}  // namespace idm::gui
