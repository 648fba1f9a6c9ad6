#include "edit/key_completion.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "gt/key_names.hpp"

namespace idm::edit {

namespace {

// Raw key names as the recorder logs them (spec §2).
std::vector<std::string> raw_key_names() {
  std::vector<std::string> names;
  for (char letter = 'A'; letter <= 'Z'; ++letter) names.push_back(std::string("Key") + letter);
  for (int digit = 0; digit <= 9; ++digit) names.push_back("Num" + std::to_string(digit));
  for (int f = 1; f <= 24; ++f) names.push_back("F" + std::to_string(f));
  for (int digit = 0; digit <= 9; ++digit) names.push_back("Kp" + std::to_string(digit));
  for (const char* name : {"Space", "Return", "Backspace", "Tab", "Escape", "Delete", "CapsLock", "Home", "End", "PageUp", "PageDown",
                           "UpArrow", "DownArrow", "LeftArrow", "RightArrow", "ShiftLeft", "ShiftRight", "ControlLeft", "ControlRight",
                           "Alt", "AltGr", "MetaLeft", "MetaRight", "SemiColon", "Comma", "Dot", "Slash", "Quote", "BackQuote",
                           "BackSlash", "Minus", "Equal", "LeftBracket", "RightBracket"}) {
    names.push_back(name);
  }
  return names;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

const std::vector<std::string>& known_details(ActionType type) {
  static const std::vector<std::string> keys = [] {
    std::set<std::string> unique;
    for (const std::string& raw : raw_key_names()) unique.insert(map_key_name(raw));
    // Modifiers first: they start most combinations.
    std::vector<std::string> out{"Cmd", "Ctrl", "Alt", "Shift", "AltGr"};
    for (const std::string& name : unique) {
      if (modifier_of(name) == Modifier::None) out.push_back(name);
    }
    return out;
  }();
  static const std::vector<std::string> buttons{"Left", "Right", "Middle"};
  static const std::vector<std::string> directions{"up", "down"};
  static const std::vector<std::string> none;
  switch (type) {
    case ActionType::KeyPress: return keys;
    case ActionType::MouseClick: return buttons;
    case ActionType::MouseScroll: return directions;
    case ActionType::MouseMove: return none;
  }
  return none;
}

std::vector<std::string> complete_detail(ActionType type, std::string_view typed, size_t limit) {
  std::string_view head, tail = typed;
  if (type == ActionType::KeyPress) {
    size_t plus = typed.rfind('+');
    if (plus != std::string_view::npos) {
      head = typed.substr(0, plus + 1);
      tail = typed.substr(plus + 1);
    }
  }
  std::string prefix = lower(tail);
  std::vector<std::string> out;
  for (const std::string& name : known_details(type)) {
    if (out.size() >= limit) break;
    if (lower(name).starts_with(prefix)) out.push_back(std::string(head) + name);
  }
  return out;
}

}  // namespace idm::edit
