#pragma once
// Spec §8 [ours]: per-frame mouse movement and scroll magnitude computed from the raw log.
#include <string>
#include <vector>

#include "model/raw_event.hpp"

namespace idm {

constexpr int kDefaultVideoWidth = 1728;
constexpr int kDefaultVideoHeight = 1080;

struct FrameMovement {
  int frame = 0;
  double dx_points = 0.0;  // summed raw deltas, timestamp order
  double dy_points = 0.0;
  int nx = 0;              // round_half_even(dx / W * 1000)
  int ny = 0;
  int events = 0;
};

struct FrameScroll {
  int frame = 0;
  double magnitude = 0.0;  // -(sum of dy): positive = down
  int events = 0;
};

struct GestureGt {
  std::vector<FrameMovement> moves;   // ascending frame; only frames with >= 1 MouseMove
  std::vector<FrameScroll> scrolls;   // ascending frame; only frames with >= 1 MouseScroll
};

GestureGt compute_gesture_gt(const ClipLog& log, int width, int height, double fps);

// Spec §8 exp bins: 0, then sign(v)*k for the first edge (1,3,7,16,40,95,230,550) >= |v|, else 9.
int exp_bin(long long value);

// The text forms used by gesture_gt_norm.json / gesture_gt_exp.json ("nx,ny" and "s").
std::string gesture_move_details(const FrameMovement& move, bool exp_bins);
std::string gesture_scroll_details(const FrameScroll& scroll, bool exp_bins);

}  // namespace idm
