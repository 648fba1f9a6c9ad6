#pragma once
// Triage: which clips need a look (has an FN, F1 below a threshold) and the N/P walk to the
// next or previous miss (an FN or FP of any loaded source) across the dataset in browser order.
#include <optional>
#include <vector>

#include "dataset/dataset_score.hpp"

namespace idm::analysis {

struct MissPosition {
  int clip = -1;   // index into the dataset's clips
  int frame = -1;  // grid frame
};

// The grid frames of clip `clip_index` with an FN or FP under any of `scores`, ascending, unique.
std::vector<int> miss_frames(const std::vector<const DatasetScore*>& scores, int clip_index);

// The next (direction +1) or previous (-1) miss strictly after / before (clip, frame), walking
// `browser_order` (clip indices as the browser shows them) and wrapping around once.
std::optional<MissPosition> next_miss(const std::vector<const DatasetScore*>& scores, const std::vector<int>& browser_order,
                                      MissPosition from, int direction);

// F1 of one type of one clip (empty when the clip could not be read or has no items of the type).
std::optional<double> clip_type_f1(const DatasetScore& score, int clip_index, ActionType type);
bool clip_has_fn(const DatasetScore& score, int clip_index);

}  // namespace idm::analysis
