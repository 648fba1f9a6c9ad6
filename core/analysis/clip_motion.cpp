#include "analysis/clip_motion.hpp"

#include <algorithm>
#include <set>

#include "gt/gesture.hpp"
#include "scoring/predictions.hpp"
#include "util/python_compat.hpp"

namespace idm::analysis {

const FrameVector* ClipMotion::move_at(int frame) const {
  auto it = std::lower_bound(moves.begin(), moves.end(), frame, [](const FrameVector& v, int f) { return v.frame < f; });
  return it != moves.end() && it->frame == frame ? &*it : nullptr;
}

const FrameScrollValue* ClipMotion::scroll_at(int frame) const {
  auto it = std::lower_bound(scrolls.begin(), scrolls.end(), frame, [](const FrameScrollValue& v, int f) { return v.frame < f; });
  return it != scrolls.end() && it->frame == frame ? &*it : nullptr;
}

ClipMotion gt_motion(const ClipLog& log, int width_px, int height_px, double fps) {
  GestureGt gesture = compute_gesture_gt(log, width_px, height_px, fps);
  ClipMotion out;
  for (const FrameMovement& move : gesture.moves) out.moves.push_back({move.frame, static_cast<double>(move.nx), static_cast<double>(move.ny)});
  for (const FrameScroll& scroll : gesture.scrolls) {
    out.scrolls.push_back({scroll.frame, scroll.magnitude, (scroll.magnitude > 0) - (scroll.magnitude < 0)});
  }
  return out;
}

ClipMotion predicted_motion(const std::vector<RawPrediction>& predictions) {
  ClipMotion out;
  FilteredPredictions filtered = filter_predictions(predictions, {.keep_mouse_move = true, .signed_scroll = false});
  std::set<int> seen;
  for (const MoveVector& move : filtered.moves) {
    if (seen.insert(move.frame).second) out.moves.push_back({move.frame, move.dx, move.dy});
  }
  // Scroll magnitudes: the filter keeps only directions, so read the raw details again.
  std::set<int> scrolled;
  for (const RawPrediction& prediction : predictions) {
    ActionType type;
    if (prediction.malformed || !prediction.type_is_string || !parse_action_type(prediction.type, type) || type != ActionType::MouseScroll) continue;
    int frame = 0;
    if (!parse_frame_label(prediction.frame_label, frame) || !scrolled.insert(frame).second) continue;
    FrameScrollValue value{frame, std::nullopt, 0};
    std::string detail(py::strip(prediction.detail));
    double magnitude = 0;
    if (parse_signed_decimal(detail, magnitude)) {
      value.magnitude = magnitude;
      value.direction = (magnitude > 0) - (magnitude < 0);
    } else {
      std::string lower = py::ascii_lower(detail);
      value.direction = lower == "down" ? 1 : lower == "up" ? -1 : 0;
    }
    out.scrolls.push_back(value);
  }
  std::sort(out.scrolls.begin(), out.scrolls.end(), [](const auto& a, const auto& b) { return a.frame < b.frame; });
  return out;
}

}  // namespace idm::analysis
