#include "gt/key_names.hpp"

#include "util/python_compat.hpp"

namespace idm {

std::string map_key_name(std::string_view raw) {
  if (raw == "ShiftLeft" || raw == "ShiftRight") return "Shift";
  if (raw == "ControlLeft" || raw == "ControlRight") return "Ctrl";
  if (raw == "Alt" || raw == "AltLeft" || raw == "AltRight") return "Alt";
  if (raw == "AltGr") return "AltGr";
  if (raw == "MetaLeft" || raw == "MetaRight") return "Cmd";
  // Length is counted in code points, as Python's len() does.
  if (raw.starts_with("Key") && py::code_point_count(raw) == 4) return py::ascii_upper(raw.substr(3));
  if (raw.starts_with("Digit") && py::code_point_count(raw) == 6) return std::string(raw.substr(5));
  return std::string(raw);  // Return, Num1, SemiColon, F5, Unknown(42)... pass through
}

Modifier modifier_of(std::string_view name) {
  if (name == "Shift") return Modifier::Shift;
  if (name == "Ctrl") return Modifier::Ctrl;
  if (name == "Alt") return Modifier::Alt;
  if (name == "AltGr") return Modifier::AltGr;
  if (name == "Cmd") return Modifier::Cmd;
  return Modifier::None;
}

}  // namespace idm
