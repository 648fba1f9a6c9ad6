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

// evaluate_clip in two steps, for callers that match one clip at several tolerances (the
// tolerance sweep): everything that does not depend on the tolerance is done once (GT,
// filtered predictions, kept frames, mouse metrics, the matching order of the predictions).
struct PreparedClipEvaluation {
  ClipEvaluation base;                   // outcomes before matching; no counts
  std::vector<Action> gt_actions;        // the ones that take part in matching
  std::vector<Action> prediction_actions;
  std::vector<size_t> gt_positions;      // into base.gt
  std::vector<size_t> prediction_positions;  // into base.predictions
  std::vector<uint32_t> match_order;     // of prediction_actions (scoring/match.hpp)
};
PreparedClipEvaluation prepare_clip_evaluation(const ClipEvaluationInput& input, const ScoringProfile& profile);
// Matches at profile's tolerances (the profile the clip was prepared with, tolerances aside) and
// returns the counts per type; with `record`, a copy of prepared.base, also its outcomes and pairs.
CountsByType match_prepared(const PreparedClipEvaluation& prepared, const ScoringProfile& profile, ClipEvaluation* record = nullptr);

}  // namespace idm
