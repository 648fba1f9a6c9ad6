#include "analysis/sweep.hpp"

#include <algorithm>

#include "dataset/dataset_score.hpp"

namespace idm::analysis {

std::vector<SweepPoint> tolerance_sweep(const Dataset& dataset, const PredictionSet& predictions, const ScoringProfile& profile,
                                        int max_tolerance_frames) {
  return tolerance_sweep(dataset.clips, dataset.annotations, dataset.overrides, predictions, profile, max_tolerance_frames, {});
}

std::vector<SweepPoint> tolerance_sweep(const std::vector<DatasetClip>& clips, const AnnotationsFile& annotations,
                                        const OverridesFile& overrides, const PredictionSet& predictions, const ScoringProfile& profile,
                                        int max_tolerance_frames, const std::function<bool(int, int)>& keep_going) {
  // Each clip is prepared once (GT, filtered predictions, matching order) and matched at every
  // tolerance: the same counts as score_dataset per tolerance, without re-filtering a large
  // prediction list for each point. Clips score_dataset leaves out are left out here too.
  size_t points = static_cast<size_t>(std::max(max_tolerance_frames, -1) + 1);
  std::vector<CountsByType> by_tolerance(points);
  int clips_done = 0;
  for (const DatasetClip& clip : clips) {
    if (keep_going && !keep_going(clips_done, static_cast<int>(clips.size()))) break;
    ++clips_done;
    if (!clip.loaded || predictions.excluded.count(clip.key)) continue;
    PreparedClipEvaluation prepared = prepare_clip_evaluation(dataset_clip_input(clip, annotations, overrides, predictions), profile);
    for (size_t tolerance = 0; tolerance < points; ++tolerance) {
      ScoringProfile swept = profile;
      swept.tolerance_frames.fill(static_cast<int>(tolerance));
      CountsByType counts = match_prepared(prepared, swept);
      for (size_t type = 0; type < counts.size(); ++type) by_tolerance[tolerance][type] += counts[type];
    }
  }
  std::vector<SweepPoint> out;
  for (size_t tolerance = 0; tolerance < points; ++tolerance) {
    SweepPoint point;
    point.tolerance_frames = static_cast<int>(tolerance);
    for (int type = 0; type < kActionTypeCount; ++type) {
      if (profile.scored[static_cast<size_t>(type)]) point.f1[static_cast<size_t>(type)] = precision_recall_f1(by_tolerance[tolerance][static_cast<size_t>(type)]).f1;
    }
    out.push_back(point);
  }
  return out;
}

}  // namespace idm::analysis
