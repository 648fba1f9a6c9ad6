#pragma once
// The most common wrong details: a missed GT item (FN) and a hallucinated prediction (FP) of
// the same type close to it in time, e.g. GT `Cmd+Shift+P` predicted as `Shift+Cmd+P`.
#include <string>
#include <vector>

#include "dataset/dataset_score.hpp"

namespace idm::analysis {

struct Confusion {
  ActionType type = ActionType::KeyPress;
  std::string gt_detail;
  std::string predicted_detail;
  int count = 0;
};

// Each FN is paired with the nearest unpaired FP of its type within `max_frame_distance`
// frames (the profile's tolerance for the type when it is larger); MouseMove is left out
// (its details are vectors, judged by §8). Sorted by count, then type and details.
std::vector<Confusion> confusion_list(const DatasetScore& score, int max_frame_distance = 2);

}  // namespace idm::analysis
