// libFuzzer target: a model's raw answer (spec §6) -> parse_response_text -> decode ->
// filter under every option combination, plus the Python-compat helpers on the same bytes.
#include <simdjson.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>

#include "fuzz_support.hpp"
#include "scoring/predictions.hpp"
#include "util/python_compat.hpp"

using namespace idm;

namespace {

void check_python_helpers(std::string_view text, const uint8_t* data, size_t size) {
  std::string_view stripped = py::strip(text);
  fuzz::require(stripped.data() >= text.data() && stripped.data() + stripped.size() <= text.data() + text.size(),
                "strip() returned text outside its input");
  fuzz::require(py::strip(stripped) == stripped, "strip() is not idempotent", text);

  int64_t integer = 0;
  if (py::parse_int(text, integer)) {
    int64_t again = 0;
    fuzz::require(py::parse_int(std::to_string(integer), again) && again == integer, "int() round trip", text);
  }
  double number = 0;
  if (py::parse_float(text, number) && std::isfinite(number)) {
    double again = 0;
    fuzz::require(py::parse_float(py::float_repr(number), again) && again == number, "float() of repr() round trip",
                  text);
  }
  // Any 8 bytes as a double: repr() must read back to the same value.
  if (size >= 8) {
    double bits = 0;
    std::memcpy(&bits, data, 8);
    std::string repr = py::float_repr(bits);
    double again = 0;
    fuzz::require(py::parse_float(repr, again), "float() rejects repr()", repr);
    if (std::isnan(bits)) fuzz::require(std::isnan(again), "repr(nan) round trip", repr);
    else fuzz::require(again == bits && std::signbit(again) == std::signbit(bits), "repr() round trip", repr);
    if (std::isfinite(bits)) (void)py::round_to_digits(bits, 4);
  }
  (void)py::string_repr(text);
  (void)py::code_point_count(text);

  int frame = 0;
  if (parse_frame_label(text, frame)) fuzz::require(frame >= 0, "negative frame label accepted", text);
  double dx = 0, dy = 0;
  if (parse_move_detail(text, dx, dy)) fuzz::require(std::isfinite(dx) && std::isfinite(dy), "non-finite move", text);
  (void)normalize_key_detail(text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view raw(reinterpret_cast<const char*>(data), size);
  check_python_helpers(raw, data, size);

  std::string array_text = parse_response_text(raw);
  static simdjson::dom::parser parser;
  auto parsed = parser.parse(array_text);
  fuzz::require(!parsed.error(), "parse_response_text returned invalid JSON", array_text);
  fuzz::require(parsed.value_unsafe().is_array(), "parse_response_text returned a non-array", array_text);

  std::vector<RawPrediction> predictions;
  decode_predictions(parsed.value_unsafe().get_array().value_unsafe(), predictions);
  for (bool keep_mouse_move : {false, true}) {
    for (bool signed_scroll : {false, true}) {
      PredictionFilterOptions options;
      options.keep_mouse_move = keep_mouse_move;
      options.signed_scroll = signed_scroll;
      FilteredPredictions filtered = filter_predictions(predictions, options);
      fuzz::require(filtered.events.size() + filtered.moves.size() + static_cast<size_t>(filtered.malformed) <=
                        predictions.size(),
                    "filter produced more items than it was given");
      for (size_t i = 0; i < filtered.events.size(); ++i) {
        fuzz::require(filtered.events[i].frame >= 0, "negative prediction frame");
        if (i) fuzz::require(filtered.events[i - 1].frame <= filtered.events[i].frame, "events not sorted by frame");
        if (filtered.events[i].type == ActionType::MouseScroll) {
          const std::string& detail = filtered.events[i].detail;
          fuzz::require(detail.empty() || detail == "up" || detail == "down", "scroll detail not normalised", detail);
        }
      }
    }
  }
  for (const RawPrediction& prediction : predictions) {
    (void)normalize_key_detail(prediction.detail);
    int frame = 0;
    (void)parse_frame_label(prediction.frame_label, frame);
  }
  return 0;
}
