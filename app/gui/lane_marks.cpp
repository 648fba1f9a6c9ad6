#include "lane_marks.hpp"

#include <cstdio>

namespace idm::gui {

std::vector<MissMark> miss_marks(const std::vector<ClipEvaluation>& evaluations) {
  std::vector<MissMark> marks;
  for (size_t source = 0; source < evaluations.size(); ++source) {
    const std::vector<GtOutcome>& gt = evaluations[source].gt;
    for (size_t i = 0; i < gt.size(); ++i) {
      if (gt[i].outcome != Outcome::FalseNegative) continue;
      marks.push_back({source, gt[i].item.action.frame, gt[i].item.action.type, static_cast<int>(i), gt[i].item.label_index});
    }
  }
  return marks;
}

int same_gt_position(const ClipEvaluation& from, int gt_position, const ClipEvaluation& in) {
  if (gt_position < 0 || static_cast<size_t>(gt_position) >= from.gt.size()) return -1;
  const ScoredGtItem& wanted = from.gt[static_cast<size_t>(gt_position)].item;
  auto same = [&](const ScoredGtItem& item) {
    return item.label_index == wanted.label_index && item.action.frame == wanted.action.frame && item.action.type == wanted.action.type &&
           item.action.detail == wanted.action.detail;
  };
  if (static_cast<size_t>(gt_position) < in.gt.size() && same(in.gt[static_cast<size_t>(gt_position)].item)) return gt_position;
  for (size_t i = 0; i < in.gt.size(); ++i) {
    if (same(in.gt[i].item)) return static_cast<int>(i);
  }
  return -1;
}

std::string gt_outcomes_text(const std::vector<ClipEvaluation>& evaluations, const std::vector<std::string>& source_names,
                             int gt_position, const std::vector<bool>& answered) {
  std::string text;
  if (evaluations.empty()) return text;
  for (size_t source = 0; source < evaluations.size(); ++source) {
    const ClipEvaluation& evaluation = evaluations[source];
    std::string name = source < source_names.size() ? source_names[source] : "source " + std::to_string(source + 1);
    int position = same_gt_position(evaluations.front(), gt_position, evaluation);
    if (!text.empty()) text += "\n";
    text += name + ": ";
    if (source < answered.size() && !answered[source]) {
      text += "not run on this clip";
      continue;
    }
    if (position < 0) {
      text += "not scored";
      continue;
    }
    const GtOutcome& gt = evaluation.gt[static_cast<size_t>(position)];
    switch (gt.outcome) {
      case Outcome::TruePositive: {
        text += "TP";
        if (gt.matched_prediction >= 0 && static_cast<size_t>(gt.matched_prediction) < evaluation.predictions.size()) {
          const Action& matched = evaluation.predictions[static_cast<size_t>(gt.matched_prediction)].action;
          char where[32];
          std::snprintf(where, sizeof where, " at F%02d", matched.frame);
          text += std::string(" (") + action_type_name(matched.type) + " " + matched.detail + where + ")";
        }
        break;
      }
      case Outcome::FalseNegative: text += "FN (missed)"; break;
      default: text += outcome_name(gt.outcome); break;
    }
  }
  return text;
}

std::string middle_ellipsis(const std::string& text, size_t max_chars) {
  if (text.size() <= max_chars) return text;
  if (max_chars < 4) return text.substr(0, max_chars);
  size_t keep = max_chars - 2;  // ".." marks the cut (the font has no ellipsis glyph)
  size_t head = (keep + 1) / 2, tail = keep - head;
  return text.substr(0, head) + ".." + text.substr(text.size() - tail);
}

}  // namespace idm::gui
