#pragma once
// Spec §6: parsing raw model text, decoding answers and filtering them for scoring.
#include <simdjson.h>

#include <string>
#include <string_view>
#include <vector>

#include "model/prediction.hpp"

namespace idm {

// [reference] Extracts the JSON array from a model's raw answer. Returns the array's JSON
// text, or "[]" when there is none (then *found, if given, is false).
std::string parse_response_text(std::string_view raw_text, bool* found = nullptr);

// Decodes the elements of a JSON array of predictions.
void decode_predictions(simdjson::dom::array items, std::vector<RawPrediction>& out);

struct PredictionFilterOptions {
  bool keep_mouse_move = false;    // protocol: MouseMove vectors are scored
  bool signed_scroll = false;      // protocol: "150" -> down, "-40" -> up, "0" -> ""
};

// [reference] filter for event scoring, plus the [ours] malformed count and MouseMove.
FilteredPredictions filter_predictions(const std::vector<RawPrediction>& predictions,
                                       const PredictionFilterOptions& options = {});

// [reference] KeyPress detail normalisation ("cmd+shift+p" -> "Cmd+Shift+P").
std::string normalize_key_detail(std::string_view detail);

// [reference] "F07" -> 7; false when the label is not F + a Python int >= 0.
bool parse_frame_label(std::string_view label, int& frame);

// [ours] "dx,dy" -> two finite numbers.
bool parse_move_detail(std::string_view detail, double& dx, double& dy);

// [ours] a decimal number such as 150, -40, +2.5, 1e2 (no inf/nan/underscores).
bool parse_signed_decimal(std::string_view text, double& value);

}  // namespace idm
