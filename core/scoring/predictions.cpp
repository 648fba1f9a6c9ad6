#include "scoring/predictions.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "io/simd_values.hpp"
#include "util/python_compat.hpp"

namespace idm {

namespace {

// Removes each <think>...</think> block (leftmost start, nearest end), scanning the
// original text only, as a non-greedy regex substitution does.
std::string remove_think_blocks(std::string_view text) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t open = text.find("<think>", pos);
    if (open == std::string_view::npos) break;
    size_t close = text.find("</think>", open + 7);
    if (close == std::string_view::npos) break;
    out.append(text.substr(pos, open - pos));
    pos = close + 8;
  }
  out.append(text.substr(std::min(pos, text.size())));
  return out;
}

// Removes every occurrence in one pass (str.replace(needle, "")).
void erase_all(std::string& text, std::string_view needle) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, pos)) {
    out.append(text, pos, at - pos);
    pos = at + needle.size();
  }
  if (pos == 0) return;
  out.append(text, pos, std::string::npos);
  text = std::move(out);
}

bool is_json_array(simdjson::dom::parser& parser, std::string_view text) {
  auto result = parser.parse(text.data(), text.size(), true);
  return !result.error() && result.value_unsafe().is_array();
}

}  // namespace

std::string parse_response_text(std::string_view raw_text, bool* found) {
  if (found) *found = true;
  std::string text(py::strip(raw_text));
  text = remove_think_blocks(text);
  if (size_t open = text.find("<think>"); open != std::string::npos) text.resize(open);
  erase_all(text, "<|begin_of_box|>");
  erase_all(text, "<|end_of_box|>");
  text = std::string(py::strip(text));
  if (text.starts_with("```json")) text.erase(0, 7);
  else if (text.starts_with("```")) text.erase(0, 3);
  if (text.ends_with("```")) text.resize(text.size() - 3);
  text = std::string(py::strip(text));

  simdjson::dom::parser parser;
  if (is_json_array(parser, text)) return text;
  size_t first = text.find('[');
  size_t last = text.rfind(']');
  if (first != std::string::npos && last != std::string::npos && last > first) {
    std::string span = text.substr(first, last - first + 1);
    if (is_json_array(parser, span)) return span;
  }
  if (found) *found = false;
  return "[]";
}

void decode_predictions(simdjson::dom::array items, std::vector<RawPrediction>& out) {
  out.reserve(out.size() + items.size());
  for (simdjson::dom::element item : items) {
    RawPrediction prediction;
    if (!item.is_object()) {
      prediction.malformed = true;
      out.push_back(std::move(prediction));
      continue;
    }
    simdjson::dom::object object = item.get_object().value_unsafe();
    auto frame = last_field(object, "frame");
    if (!frame || !frame->is_string()) {
      prediction.malformed = true;
      out.push_back(std::move(prediction));
      continue;
    }
    prediction.frame_label = std::string(frame->get_string().value_unsafe());
    if (auto type = last_field(object, "type"); type && type->is_string()) {
      prediction.type_is_string = true;
      prediction.type = std::string(type->get_string().value_unsafe());
    }
    if (auto details = last_field(object, "details")) prediction.detail = python_str(*details);
    else if (auto detail = last_field(object, "detail")) prediction.detail = python_str(*detail);
    out.push_back(std::move(prediction));
  }
}

bool parse_frame_label(std::string_view label, int& frame) {
  std::string upper = py::ascii_upper(py::strip(label));
  if (upper.empty() || upper[0] != 'F') return false;
  int64_t value = 0;
  if (!py::parse_int(std::string_view(upper).substr(1), value, /*saturate=*/true)) return false;
  if (value < 0) return false;
  // The reference keeps any frame >= 0; past INT_MAX it can never match GT, so clamp.
  frame = static_cast<int>(std::min<int64_t>(value, std::numeric_limits<int>::max()));
  return true;
}

std::string normalize_key_detail(std::string_view detail) {
  // string_view keys compare by length first: most parts are rejected without a memcmp.
  static constexpr std::pair<std::string_view, std::string_view> kAliases[] = {
      {"enter", "Return"},      {"return", "Return"},        {"esc", "Escape"},        {"escape", "Escape"},
      {"backspace", "Backspace"}, {"delete", "Delete"},      {"space", "Space"},       {"tab", "Tab"},
      {"capslock", "CapsLock"}, {"up", "UpArrow"},           {"uparrow", "UpArrow"},   {"down", "DownArrow"},
      {"downarrow", "DownArrow"}, {"left", "LeftArrow"},     {"leftarrow", "LeftArrow"}, {"right", "RightArrow"},
      {"rightarrow", "RightArrow"}, {"cmd", "Cmd"},          {"command", "Cmd"},       {"meta", "Cmd"},
      {"ctrl", "Ctrl"},         {"control", "Ctrl"},         {"alt", "Alt"},           {"option", "Alt"},
      {"shift", "Shift"},       {"home", "Home"},            {"end", "End"},           {"pageup", "PageUp"},
      {"pagedown", "PageDown"},
  };
  std::string out;
  size_t start = 0;
  while (true) {
    size_t plus = detail.find('+', start);
    std::string_view part = py::strip(detail.substr(start, plus == std::string_view::npos ? std::string_view::npos : plus - start));
    bool aliased = false;
    if (part.size() >= 2 && part.size() <= 10) {
      char lower_buffer[10];
      for (size_t i = 0; i < part.size(); ++i) {
        char c = part[i];
        lower_buffer[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
      }
      std::string_view lower(lower_buffer, part.size());
      for (const auto& [alias, spelling] : kAliases) {
        if (lower == alias) {
          out += spelling;
          aliased = true;
          break;
        }
      }
    }
    if (aliased) {
    } else if (part.size() == 1 && std::isalpha(static_cast<unsigned char>(part[0]))) {
      out += static_cast<char>(std::toupper(static_cast<unsigned char>(part[0])));
    } else {
      out += part;
    }
    if (plus == std::string_view::npos) break;
    out += '+';
    start = plus + 1;
  }
  return out;
}

bool parse_signed_decimal(std::string_view text, double& value) {
  std::string_view body = py::strip(text);
  size_t pos = 0;
  if (pos < body.size() && (body[pos] == '+' || body[pos] == '-')) ++pos;
  size_t digits = 0;
  while (pos < body.size() && std::isdigit(static_cast<unsigned char>(body[pos]))) ++pos, ++digits;
  if (pos < body.size() && body[pos] == '.') {
    ++pos;
    while (pos < body.size() && std::isdigit(static_cast<unsigned char>(body[pos]))) ++pos, ++digits;
  }
  if (digits == 0) return false;
  if (pos < body.size() && (body[pos] == 'e' || body[pos] == 'E')) {
    ++pos;
    if (pos < body.size() && (body[pos] == '+' || body[pos] == '-')) ++pos;
    size_t exponent_digits = 0;
    while (pos < body.size() && std::isdigit(static_cast<unsigned char>(body[pos]))) ++pos, ++exponent_digits;
    if (exponent_digits == 0) return false;
  }
  if (pos != body.size()) return false;
  value = std::strtod(std::string(body).c_str(), nullptr);
  return std::isfinite(value);
}

bool parse_move_detail(std::string_view detail, double& dx, double& dy) {
  size_t comma = detail.find(',');
  if (comma == std::string_view::npos) return false;
  return parse_signed_decimal(detail.substr(0, comma), dx) && parse_signed_decimal(detail.substr(comma + 1), dy);
}

FilteredPredictions filter_predictions(const std::vector<RawPrediction>& predictions,
                                       const PredictionFilterOptions& options) {
  FilteredPredictions out;
  for (const RawPrediction& prediction : predictions) {
    if (prediction.malformed) {
      ++out.malformed;
      continue;
    }
    if (!prediction.type_is_string) continue;
    ActionType type;
    if (!parse_action_type(prediction.type, type)) continue;
    if (type == ActionType::MouseMove && !options.keep_mouse_move) continue;
    int frame = 0;
    if (!parse_frame_label(prediction.frame_label, frame)) continue;
    std::string detail(py::strip(prediction.detail));
    switch (type) {
      case ActionType::MouseMove: {
        MoveVector move{frame, 0, 0};
        if (!parse_move_detail(detail, move.dx, move.dy)) {
          ++out.malformed;
          continue;
        }
        out.moves.push_back(move);
        continue;
      }
      case ActionType::MouseScroll: {
        double magnitude = 0;
        if (options.signed_scroll && parse_signed_decimal(detail, magnitude)) {
          detail = magnitude > 0 ? "down" : magnitude < 0 ? "up" : "";
        } else {
          detail = py::ascii_lower(detail);
          if (detail != "up" && detail != "down") detail.clear();
        }
        break;
      }
      case ActionType::KeyPress: detail = normalize_key_detail(detail); break;
      case ActionType::MouseClick: break;
    }
    out.events.push_back({frame, type, std::move(detail)});
  }
  auto by_frame = [](const auto& a, const auto& b) { return a.frame < b.frame; };
  std::stable_sort(out.events.begin(), out.events.end(), by_frame);
  std::stable_sort(out.moves.begin(), out.moves.end(), by_frame);
  return out;
}

}  // namespace idm
