#pragma once
// What the timeline's source lanes show besides the predictions: each source's own misses (an
// FN mark at the missed GT item's frame) and, for a GT item, every source's outcome. Plain
// data from the clip's evaluations, so the model tests check it without a window.
#include <string>
#include <vector>

#include "scoring/evaluate.hpp"

namespace idm::gui {

struct MissMark {
  size_t source = 0;       // lane, in source order
  int frame = 0;           // the missed GT item's grid frame
  ActionType type = ActionType::KeyPress;
  int gt_position = -1;    // index into the evaluation's gt
  int label_index = -1;    // the GT item's index (-1: per-frame mouse motion)
};

// Every FN of every source, lane by lane, in GT order.
std::vector<MissMark> miss_marks(const std::vector<ClipEvaluation>& evaluations);

// The same GT item in another source's evaluation (the GT lists are built from the same clip
// and overrides, so positions agree; checked, with a search as fallback). -1: not there.
int same_gt_position(const ClipEvaluation& from, int gt_position, const ClipEvaluation& in);

// One line per source: "NAME: TP (KeyPress a at F07)", "NAME: FN (missed)", "NAME: neutral",
// "NAME: not run on this clip" (answered[s] false; empty: every source answered).
std::string gt_outcomes_text(const std::vector<ClipEvaluation>& evaluations, const std::vector<std::string>& source_names,
                             int gt_position, const std::vector<bool>& answered = {});

// Fits `text` into `max_chars` by cutting its middle ("long_so..e_name"), keeping both ends.
std::string middle_ellipsis(const std::string& text, size_t max_chars);

}  // namespace idm::gui
