#pragma once
// Spec §4 [reference]: raw rdev key names to GT spelling.
#include <string>
#include <string_view>

namespace idm {

// ShiftLeft -> Shift, KeyA -> A, Digit1 -> 1, anything unknown unchanged.
std::string map_key_name(std::string_view raw_name);

enum class Modifier : uint8_t { None, Shift, Ctrl, Alt, AltGr, Cmd };
Modifier modifier_of(std::string_view mapped_name);

}  // namespace idm
