#pragma once
// US-layout characters <-> rdev key names (spec §2 spellings), for typing and for drawing.
#include <optional>
#include <string>
#include <string_view>

namespace idm::synth {

struct KeyStroke {
  std::string rdev_name;  // "KeyA", "Num1", "SemiColon", "Return", ...
  bool shift = false;
};

// The key (and Shift) that types `c`; empty for characters the layout lacks.
std::optional<KeyStroke> key_for_char(char c);

// The character a key types with or without Shift; 0 when it types nothing printable.
char char_for_key(std::string_view rdev_name, bool shift);

// The platform key code logged next to the name (stable, made up where rdev's differ by OS).
int key_code(std::string_view rdev_name);

}  // namespace idm::synth
