#include "synth/keymap.hpp"

#include <array>
#include <cstdint>

namespace idm::synth {

namespace {

struct Punct {
  const char* name;
  char plain;
  char shifted;
};

constexpr std::array<Punct, 11> kPunct{{{"Space", ' ', ' '},
                                         {"Comma", ',', '<'},
                                         {"Dot", '.', '>'},
                                         {"SemiColon", ';', ':'},
                                         {"Slash", '/', '?'},
                                         {"Quote", '\'', '"'},
                                         {"Minus", '-', '_'},
                                         {"Equal", '=', '+'},
                                         {"LeftBracket", '[', '{'},
                                         {"RightBracket", ']', '}'},
                                         {"BackQuote", '`', '~'}}};

// Shifted top-row digits on a US layout, indexed by digit.
constexpr const char* kShiftedDigits = ")!@#$%^&*(";

}  // namespace

std::optional<KeyStroke> key_for_char(char c) {
  if (c >= 'a' && c <= 'z') return KeyStroke{std::string("Key") + static_cast<char>(c - 'a' + 'A'), false};
  if (c >= 'A' && c <= 'Z') return KeyStroke{std::string("Key") + c, true};
  if (c >= '0' && c <= '9') return KeyStroke{std::string("Num") + c, false};
  if (c == '\n') return KeyStroke{"Return", false};
  for (int d = 0; d < 10; ++d) {
    if (kShiftedDigits[d] == c) return KeyStroke{"Num" + std::to_string(d), true};
  }
  for (const auto& p : kPunct) {
    if (p.plain == c) return KeyStroke{p.name, false};
    if (p.shifted == c) return KeyStroke{p.name, true};
  }
  return std::nullopt;
}

char char_for_key(std::string_view name, bool shift) {
  if (name.size() == 4 && name.starts_with("Key") && name[3] >= 'A' && name[3] <= 'Z') {
    return shift ? name[3] : static_cast<char>(name[3] - 'A' + 'a');
  }
  if (name.size() == 4 && name.starts_with("Num") && name[3] >= '0' && name[3] <= '9') {
    return shift ? kShiftedDigits[name[3] - '0'] : name[3];
  }
  for (const auto& p : kPunct) {
    if (name == p.name) return shift ? p.shifted : p.plain;
  }
  return 0;
}

int key_code(std::string_view name) {
  // FNV-1a folded to the 0..127 range real key codes live in: stable across platforms.
  uint32_t hash = 2166136261u;
  for (char c : name) hash = (hash ^ static_cast<uint8_t>(c)) * 16777619u;
  return static_cast<int>(hash % 128u);
}

}  // namespace idm::synth
