#include "analysis/triage.hpp"

#include <algorithm>
#include <set>

namespace idm::analysis {

std::vector<int> miss_frames(const std::vector<const DatasetScore*>& scores, int clip_index) {
  std::set<int> frames;
  for (const DatasetScore* score : scores) {
    if (clip_index < 0 || static_cast<size_t>(clip_index) >= score->clips.size()) continue;
    const DatasetClipScore& clip = score->clips[static_cast<size_t>(clip_index)];
    if (!clip.error.empty()) continue;
    for (const GtOutcome& gt : clip.evaluation.gt) {
      if (gt.outcome == Outcome::FalseNegative) frames.insert(gt.item.action.frame);
    }
    for (const PredictionOutcome& prediction : clip.evaluation.predictions) {
      if (prediction.outcome == Outcome::FalsePositive) frames.insert(prediction.action.frame);
    }
  }
  return {frames.begin(), frames.end()};
}

std::optional<MissPosition> next_miss(const std::vector<const DatasetScore*>& scores, const std::vector<int>& browser_order,
                                      MissPosition from, int direction) {
  if (browser_order.empty() || scores.empty()) return std::nullopt;
  int count = static_cast<int>(browser_order.size());
  auto at = std::find(browser_order.begin(), browser_order.end(), from.clip);
  int start = at == browser_order.end() ? (direction > 0 ? -1 : count) : static_cast<int>(at - browser_order.begin());
  bool on_list = at != browser_order.end();
  // The current clip first (after / before the frame), then the others in order, then the
  // current clip again from its other end (the wrap-around).
  for (int step = 0; step <= count; ++step) {
    int position = start + direction * step;
    position = ((position % count) + count) % count;
    if (!on_list && step == 0) continue;
    int clip = browser_order[static_cast<size_t>(position)];
    std::vector<int> frames = miss_frames(scores, clip);
    if (direction < 0) std::reverse(frames.begin(), frames.end());
    for (int frame : frames) {
      bool same_clip_first_pass = on_list && step == 0;
      if (same_clip_first_pass && (direction > 0 ? frame <= from.frame : frame >= from.frame)) continue;
      bool same_clip_wrapped = on_list && step == count;
      if (same_clip_wrapped && (direction > 0 ? frame > from.frame : frame < from.frame)) continue;
      return MissPosition{clip, frame};
    }
  }
  return std::nullopt;
}

std::optional<double> clip_type_f1(const DatasetScore& score, int clip_index, ActionType type) {
  if (clip_index < 0 || static_cast<size_t>(clip_index) >= score.clips.size()) return std::nullopt;
  const DatasetClipScore& clip = score.clips[static_cast<size_t>(clip_index)];
  if (!clip.error.empty() || !score.profile.scored[static_cast<size_t>(type)]) return std::nullopt;
  const Counts& counts = clip.evaluation.by_type[static_cast<size_t>(type)];
  if (counts.tp + counts.fp + counts.fn == 0) return std::nullopt;
  return precision_recall_f1(counts).f1;
}

bool clip_has_fn(const DatasetScore& score, int clip_index) {
  if (clip_index < 0 || static_cast<size_t>(clip_index) >= score.clips.size()) return false;
  return score.clips[static_cast<size_t>(clip_index)].evaluation.total.fn > 0;
}

}  // namespace idm::analysis
