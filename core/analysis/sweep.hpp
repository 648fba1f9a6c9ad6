#pragma once
// Tolerance sweep: F1 per scored type as the matching tolerance goes 0..max_tolerance frames,
// scored with scoring/dataset_score (types are matched independently, so one scoring run per
// tolerance gives every type's point).
#include <array>
#include <functional>
#include <vector>

#include "dataset/dataset.hpp"
#include "dataset/prediction_source.hpp"
#include "scoring/profile.hpp"

namespace idm::analysis {

struct SweepPoint {
  int tolerance_frames = 0;
  std::array<double, kActionTypeCount> f1{};  // by ActionType; 0 for types the profile does not score
};

std::vector<SweepPoint> tolerance_sweep(const Dataset& dataset, const PredictionSet& predictions, const ScoringProfile& profile,
                                        int max_tolerance_frames = 10);

// The same from the dataset's parts (the viewer's sweep task keeps its own copies of the side
// files). `keep_going` is asked before each clip with (clips done, total); false
// stops early and the result is incomplete.
std::vector<SweepPoint> tolerance_sweep(const std::vector<DatasetClip>& clips, const AnnotationsFile& annotations,
                                        const OverridesFile& overrides, const PredictionSet& predictions, const ScoringProfile& profile,
                                        int max_tolerance_frames, const std::function<bool(int, int)>& keep_going);

}  // namespace idm::analysis
