#pragma once
// Dataset-mode scoring of one clip under a profile (spec §5, §7, §8): overrides, visibility,
// windows, per-type tolerance, MouseMove by frame, and the per-item outcomes the viewer colours.
#include <optional>
#include <string>
#include <vector>

#include "model/labels.hpp"
#include "model/prediction.hpp"
#include "model/raw_event.hpp"
#include "scoring/match.hpp"
#include "scoring/mouse_metrics.hpp"
#include "scoring/profile.hpp"

namespace idm {

struct ClipEvaluationInput {
  const ClipLog* log = nullptr;
  const ClipOverrides* overrides = nullptr;       // may be null
  const ClipLabels* labels = nullptr;             // may be null
  const std::vector<RawPrediction>* predictions = nullptr;  // may be null (no predictions)
  int grid_frames = 25;                           // from the video; 25 when there is none
  int width = 1728;
  int height = 1080;
};

enum class Outcome : uint8_t {
  TruePositive,
  FalsePositive,
  FalseNegative,
  Neutral,        // matched, but the GT item is excluded by its visibility label
  Excluded,       // unmatched GT item excluded by its label: not an FN
  OutsideWindow,  // not in the profile's kept frames: removed before matching
  NotScored,      // a type the profile does not score
};
const char* outcome_name(Outcome outcome);

struct GtOutcome {
  ScoredGtItem item;
  std::optional<Visibility> label;
  Outcome outcome = Outcome::FalseNegative;
  int matched_prediction = -1;  // index into ClipEvaluation::predictions
};

struct PredictionOutcome {
  Action action;
  Outcome outcome = Outcome::FalsePositive;
  int matched_gt = -1;  // index into ClipEvaluation::gt
};

struct ClipEvaluation {
  std::vector<GtOutcome> gt;                   // scored GT (after overrides) + MouseMove frames
  std::vector<PredictionOutcome> predictions;  // filtered predictions + MouseMove vectors
  CountsByType by_type{};
  Counts total;                                // sum over the profile's scored types
  int64_t gt_count = 0;                        // GT items that take part in matching
  int64_t pred_count = 0;                      // predictions that take part in matching
  MouseFrameSet mouse_frames;
  MouseMetrics mouse;
  std::vector<std::string> warnings;
  int index_warnings = 0;                      // out-of-range override/label indices
  int malformed_predictions = 0;
};

ClipEvaluation evaluate_clip(const ClipEvaluationInput& input, const ScoringProfile& profile);

}  // namespace idm
