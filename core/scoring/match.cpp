#include "scoring/match.hpp"

#include <algorithm>
#include <cstdlib>
#include <string>

namespace idm {

namespace {

bool detail_matters(const MatchRules& rules, ActionType type) { return !(rules.move_matches_by_frame_only && type == ActionType::MouseMove); }

bool group_less(const MatchRules& rules, ActionType type_a, const std::string& detail_a, ActionType type_b, const std::string& detail_b) {
  if (type_a != type_b) return type_a < type_b;
  return detail_matters(rules, type_a) && detail_a < detail_b;
}

}  // namespace

std::vector<uint32_t> match_order(const std::vector<Action>& predictions, const MatchRules& rules) {
  // Candidates grouped by (type, detail), each group in prediction-list order, so a GT item
  // only looks at predictions it could match and ties still go to the earlier prediction.
  std::vector<uint32_t> order(predictions.size());
  for (size_t p = 0; p < order.size(); ++p) order[p] = static_cast<uint32_t>(p);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    const Action& x = predictions[a];
    const Action& y = predictions[b];
    if (group_less(rules, x.type, x.detail, y.type, y.detail)) return true;
    if (group_less(rules, y.type, y.detail, x.type, x.detail)) return false;
    return a < b;
  });
  return order;
}

MatchResult match_actions(const std::vector<Action>& gt, const std::vector<Action>& predictions, const MatchRules& rules) {
  return match_actions(gt, predictions, rules, match_order(predictions, rules));
}

MatchResult match_actions(const std::vector<Action>& gt, const std::vector<Action>& predictions, const MatchRules& rules,
                          const std::vector<uint32_t>& order) {
  MatchResult result;
  result.prediction_of_gt.assign(gt.size(), -1);
  result.gt_of_prediction.assign(predictions.size(), -1);
  auto key_less = [&](ActionType type_a, const std::string& detail_a, ActionType type_b, const std::string& detail_b) {
    return group_less(rules, type_a, detail_a, type_b, detail_b);
  };
  for (size_t g = 0; g < gt.size(); ++g) {
    const Action& truth = gt[g];
    auto first = std::partition_point(order.begin(), order.end(), [&](uint32_t p) {
      return key_less(predictions[p].type, predictions[p].detail, truth.type, truth.detail);
    });
    int tolerance = rules.tolerance_frames[static_cast<size_t>(truth.type)];
    int best = -1;
    int64_t best_distance = 0;
    for (auto it = first; it != order.end(); ++it) {
      const Action& guess = predictions[*it];
      if (key_less(truth.type, truth.detail, guess.type, guess.detail)) break;  // past the group
      if (result.gt_of_prediction[*it] != -1) continue;
      int64_t distance = std::llabs(static_cast<int64_t>(guess.frame) - truth.frame);
      if (distance > tolerance) continue;
      if (best == -1 || distance < best_distance) {  // strict: the earlier prediction wins ties
        best = static_cast<int>(*it);
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
