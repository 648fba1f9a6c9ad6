#pragma once
// Helpers over simdjson's DOM that reproduce how the reference (Python's json module)
// sees a value: duplicate keys resolve to the last one, and str() of any value.
#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>

namespace idm {

// obj.get(key) with Python dict semantics: the last duplicate wins.
std::optional<simdjson::dom::element> last_field(simdjson::dom::object object, std::string_view key);

// str(value) as Python prints the json module's result (str -> itself, 1.5 -> "1.5",
// null -> "None", true -> "True", [1, "a"] -> "[1, 'a']", {"k": 1} -> "{'k': 1}").
std::string python_str(simdjson::dom::element value);

// A number as Python's float() would take it: JSON numbers and bools; strings via float().
std::optional<double> python_float_of(simdjson::dom::element value);

// Short human name of a JSON type for error messages ("a string", "an array").
const char* json_type_phrase(simdjson::dom::element value);

// Compact JSON text of a value (for hover details and warnings).
std::string compact_json(simdjson::dom::element value);

}  // namespace idm
