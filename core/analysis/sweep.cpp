#include "analysis/sweep.hpp"

#include "scoring/dataset_score.hpp"

namespace idm::analysis {

std::vector<SweepPoint> tolerance_sweep(const Dataset& dataset, const PredictionSet& predictions, const ScoringProfile& profile,
                                        int max_tolerance_frames) {
  return tolerance_sweep(dataset.clips, dataset.annotations, dataset.overrides, predictions, profile, max_tolerance_frames, {});
}

std::vector<SweepPoint> tolerance_sweep(const std::vector<DatasetClip>& clips, const AnnotationsFile& annotations,
                                        const OverridesFile& overrides, const PredictionSet& predictions, const ScoringProfile& profile,
                                        int max_tolerance_frames, const std::function<bool(int, int)>& keep_going) {
  std::vector<SweepPoint> out;
  for (int tolerance = 0; tolerance <= max_tolerance_frames; ++tolerance) {
    if (keep_going && !keep_going(tolerance, max_tolerance_frames + 1)) break;
    ScoringProfile swept = profile;
    swept.tolerance_frames.fill(tolerance);
    DatasetScore score = score_dataset(clips, annotations, overrides, predictions, swept);
    SweepPoint point;
    point.tolerance_frames = tolerance;
    for (int type = 0; type < kActionTypeCount; ++type) {
      if (profile.scored[static_cast<size_t>(type)]) point.f1[static_cast<size_t>(type)] = precision_recall_f1(score.per_type[static_cast<size_t>(type)]).f1;
    }
    out.push_back(point);
  }
  return out;
}

}  // namespace idm::analysis
