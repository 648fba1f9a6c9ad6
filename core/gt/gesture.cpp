#include "gt/gesture.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "gt/frame_rule.hpp"
#include "util/python_compat.hpp"

namespace idm {

int exp_bin(long long value) {
  static const long long kEdges[] = {1, 3, 7, 16, 40, 95, 230, 550};
  if (value == 0) return 0;
  long long magnitude = value < 0 ? -value : value;
  int bin = 9;
  for (int k = 0; k < 8; ++k) {
    if (magnitude <= kEdges[k]) {
      bin = k + 1;
      break;
    }
  }
  return value < 0 ? -bin : bin;
}

namespace {
// Rounds half to even and keeps absurd values (corrupt logs) inside int range.
int round_to_int(double value) {
  double rounded = std::nearbyint(value);
  return static_cast<int>(std::clamp(rounded, -1e9, 1e9));
}
}  // namespace

GestureGt compute_gesture_gt(const ClipLog& log, int width, int height, double fps) {
  std::vector<const RawEvent*> sorted;
  for (const RawEvent& event : log.events) {
    if ((event.kind == EventKind::MouseMove || event.kind == EventKind::MouseScroll) && event.payload_valid) sorted.push_back(&event);
  }
  std::stable_sort(sorted.begin(), sorted.end(), [](const RawEvent* a, const RawEvent* b) { return a->ts_us < b->ts_us; });
  std::map<int, FrameMovement> moves;
  std::map<int, FrameScroll> scrolls;
  for (const RawEvent* event : sorted) {
    auto frame = frame_of_timestamp(event->ts_us, log.start_s, fps);
    if (!frame || *frame < 0) continue;
    int f = static_cast<int>(*frame);
    if (event->kind == EventKind::MouseMove) {
      FrameMovement& move = moves[f];
      move.frame = f;
      move.dx_points += event->x;
      move.dy_points += event->y;
      ++move.events;
    } else if (std::isfinite(event->y)) {
      FrameScroll& scroll = scrolls[f];
      scroll.frame = f;
      scroll.magnitude -= event->y;
      ++scroll.events;
    }
  }
  GestureGt out;
  for (auto& [frame, move] : moves) {
    move.nx = round_to_int(move.dx_points / width * 1000.0);
    move.ny = round_to_int(move.dy_points / height * 1000.0);
    out.moves.push_back(move);
  }
  for (auto& [frame, scroll] : scrolls) out.scrolls.push_back(scroll);
  return out;
}

std::string gesture_move_details(const FrameMovement& move, bool exp_bins) {
  if (exp_bins) return std::to_string(exp_bin(move.nx)) + "," + std::to_string(exp_bin(move.ny));
  return std::to_string(move.nx) + "," + std::to_string(move.ny);
}

std::string gesture_scroll_details(const FrameScroll& scroll, bool exp_bins) {
  long long rounded = static_cast<long long>(std::clamp(std::nearbyint(scroll.magnitude), -1e15, 1e15));
  if (exp_bins) return std::to_string(exp_bin(rounded));
  if (scroll.magnitude == std::floor(scroll.magnitude)) return std::to_string(rounded);
  return py::float_repr(scroll.magnitude);
}

}  // namespace idm
