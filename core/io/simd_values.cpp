#include "io/simd_values.hpp"

#include <unordered_map>
#include <vector>

#include "util/python_compat.hpp"

namespace idm {

using simdjson::dom::element;
using simdjson::dom::element_type;

std::optional<element> last_field(simdjson::dom::object object, std::string_view key) {
  std::optional<element> found;
  for (auto field : object) {
    if (field.key == key) found = field.value;
  }
  return found;
}

namespace {

void append_repr(element value, std::string& out, bool top_level) {
  switch (value.type()) {
    case element_type::STRING: {
      std::string_view text = value.get_string().value_unsafe();
      if (top_level) out += text;
      else out += py::string_repr(text);
      break;
    }
    case element_type::INT64: out += std::to_string(value.get_int64().value_unsafe()); break;
    case element_type::UINT64: out += std::to_string(value.get_uint64().value_unsafe()); break;
    case element_type::DOUBLE: out += py::float_repr(value.get_double().value_unsafe()); break;
    case element_type::BOOL: out += value.get_bool().value_unsafe() ? "True" : "False"; break;
    case element_type::NULL_VALUE: out += "None"; break;
    case element_type::ARRAY: {
      out += '[';
      bool first = true;
      simdjson::dom::array items = value.get_array().value_unsafe();
      for (element item : items) {
        if (!first) out += ", ";
        first = false;
        append_repr(item, out, false);
      }
      out += ']';
      break;
    }
    case element_type::OBJECT: {
      // A Python dict keeps one entry per key: the first position, the last value.
      simdjson::dom::object object = value.get_object().value_unsafe();
      std::vector<std::string_view> order;
      std::unordered_map<std::string_view, element> last;
      for (auto field : object) {
        auto [it, inserted] = last.insert_or_assign(field.key, field.value);
        if (inserted) order.push_back(field.key);
      }
      out += '{';
      bool first = true;
      for (std::string_view key : order) {
        if (!first) out += ", ";
        first = false;
        out += py::string_repr(key);
        out += ": ";
        append_repr(last.at(key), out, false);
      }
      out += '}';
      break;
    }
  }
}

}  // namespace

std::string python_str(element value) {
  std::string out;
  append_repr(value, out, true);
  return out;
}

std::optional<double> python_float_of(element value) {
  switch (value.type()) {
    case element_type::INT64: return static_cast<double>(value.get_int64().value_unsafe());
    case element_type::UINT64: return static_cast<double>(value.get_uint64().value_unsafe());
    case element_type::DOUBLE: return value.get_double().value_unsafe();
    case element_type::BOOL: return value.get_bool().value_unsafe() ? 1.0 : 0.0;
    case element_type::STRING: {
      double parsed = 0;
      if (py::parse_float(value.get_string().value_unsafe(), parsed)) return parsed;
      return std::nullopt;
    }
    default: return std::nullopt;
  }
}

const char* json_type_phrase(element value) {
  switch (value.type()) {
    case element_type::STRING: return "a string";
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE: return "a number";
    case element_type::BOOL: return "a boolean";
    case element_type::NULL_VALUE: return "null";
    case element_type::ARRAY: return "an array";
    case element_type::OBJECT: return "an object";
  }
  return "a value";
}

std::string compact_json(element value) { return simdjson::minify(value); }

}  // namespace idm
