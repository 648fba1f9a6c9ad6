#include "analysis/confusion.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <tuple>

namespace idm::analysis {

std::vector<Confusion> confusion_list(const DatasetScore& score, int max_frame_distance) {
  std::map<std::tuple<int, std::string, std::string>, int> counts;
  for (const DatasetClipScore& clip : score.clips) {
    if (!clip.error.empty()) continue;
    const ClipEvaluation& evaluation = clip.evaluation;
    std::vector<bool> used(evaluation.predictions.size(), false);
    for (const GtOutcome& gt : evaluation.gt) {
      const Action& action = gt.item.action;
      if (gt.outcome != Outcome::FalseNegative || action.type == ActionType::MouseMove) continue;
      int reach = std::max(max_frame_distance, score.profile.tolerance_frames[static_cast<size_t>(action.type)]);
      int best = -1, best_distance = reach + 1;
      for (size_t p = 0; p < evaluation.predictions.size(); ++p) {
        const PredictionOutcome& prediction = evaluation.predictions[p];
        if (used[p] || prediction.outcome != Outcome::FalsePositive || prediction.action.type != action.type) continue;
        int distance = std::abs(prediction.action.frame - action.frame);
        if (distance < best_distance) best = static_cast<int>(p), best_distance = distance;
      }
      if (best < 0) continue;
      used[static_cast<size_t>(best)] = true;
      // The right detail at the wrong frame is a timing miss, not a confusion: paired (so the
      // prediction is not matched again) but not listed.
      if (evaluation.predictions[static_cast<size_t>(best)].action.detail == action.detail) continue;
      ++counts[{static_cast<int>(action.type), action.detail, evaluation.predictions[static_cast<size_t>(best)].action.detail}];
    }
  }
  std::vector<Confusion> out;
  for (const auto& [key, count] : counts) out.push_back({static_cast<ActionType>(std::get<0>(key)), std::get<1>(key), std::get<2>(key), count});
  std::stable_sort(out.begin(), out.end(), [](const Confusion& a, const Confusion& b) { return a.count > b.count; });
  return out;
}

}  // namespace idm::analysis
