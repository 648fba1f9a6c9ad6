#include "scoring/match.hpp"

#include <cstdlib>

namespace idm {

MatchResult match_actions(const std::vector<Action>& gt, const std::vector<Action>& predictions,
                          const MatchRules& rules) {
  MatchResult result;
  result.prediction_of_gt.assign(gt.size(), -1);
  result.gt_of_prediction.assign(predictions.size(), -1);
  for (size_t g = 0; g < gt.size(); ++g) {
    const Action& truth = gt[g];
    int tolerance = rules.tolerance_frames[static_cast<size_t>(truth.type)];
    bool compare_detail = !(rules.move_matches_by_frame_only && truth.type == ActionType::MouseMove);
    int best = -1;
    int64_t best_distance = 0;
    for (size_t p = 0; p < predictions.size(); ++p) {
      if (result.gt_of_prediction[p] != -1) continue;
      const Action& guess = predictions[p];
      if (guess.type != truth.type) continue;
      if (compare_detail && guess.detail != truth.detail) continue;
      int64_t distance = std::llabs(static_cast<int64_t>(guess.frame) - truth.frame);
      if (distance > tolerance) continue;
      if (best == -1 || distance < best_distance) {  // strict: the earlier prediction wins ties
        best = static_cast<int>(p);
        best_distance = distance;
      }
    }
    if (best != -1) {
      result.prediction_of_gt[g] = best;
      result.gt_of_prediction[static_cast<size_t>(best)] = static_cast<int>(g);
      ++result.matched;
    }
  }
  return result;
}

Counts& Counts::operator+=(const Counts& other) {
  tp += other.tp;
  fp += other.fp;
  fn += other.fn;
  neutral += other.neutral;
  return *this;
}

Prf precision_recall_f1(const Counts& counts) {
  Prf out;
  double tp = static_cast<double>(counts.tp);
  if (counts.tp + counts.fp > 0) out.precision = tp / static_cast<double>(counts.tp + counts.fp);
  if (counts.tp + counts.fn > 0) out.recall = tp / static_cast<double>(counts.tp + counts.fn);
  if (out.precision + out.recall > 0) out.f1 = 2 * out.precision * out.recall / (out.precision + out.recall);
  return out;
}

}  // namespace idm
