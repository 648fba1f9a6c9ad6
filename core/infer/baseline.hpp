#pragma once
// The built-in baseline IDM: classical vision, no model. Between two consecutive grid
// frames it estimates (1) a vertical scroll from the row shift of the largest changed
// region, and (2) the cursor's displacement: the pointer's look is learned from a clean move
// (the largest small blob that reappears at an offset) and then tracked through the window
// (pointer_track.hpp). It answers like a model would: a JSON array with window-local frame
// labels.
#include <nlohmann/json.hpp>

#include <vector>

#include "infer/frame_image.hpp"

namespace idm::infer {

struct PairMotion {
  int scroll_px = 0;          // content moved up by this many px (> 0: scrolled down)
  bool cursor_found = false;
  double cursor_dx_px = 0.0;  // in the image's pixels, +x right, +y down
  double cursor_dy_px = 0.0;
};

// Motion from frame a to frame b (same size), pair by pair (no tracking).
PairMotion estimate_pair_motion(const GrayImage& a, const GrayImage& b);

// Grid frame f shows the screen slightly before the end of its slot, so the change from
// grid frame f-1 to f is the motion of GT frame f shifted early by this fraction of a slot.
// Why 1/6: ffmpeg's fps filter (spec video-frames.md) shows for slot f the last source frame
// before (f + 1/2) / 5 s; at 30 fps that is (f + 1/2 - 1/6) / 5 s. Assumption: the recording
// is 30 fps, a common screen-recorder setting on macOS (at 60 fps the shift is 1/12, and this
// estimate leans slightly too far forward).
constexpr double kChangeLeadSlots = 1.0 / 6.0;

// A point of an evenly sampled path p0, p1, p2, p3 at fraction u (0..1) of the way from p1
// to p2: a cubic Hermite curve whose tangent at each sample is the harmonic mean of the steps
// on either side, or 0 where the path stops or turns (Fritsch-Carlson), so it never overshoots.
// Pointer paths are smooth (a hand speeds up and slows down), so this beats a straight line.
double monotone_cubic(double p0, double p1, double p2, double p3, double u);

// The motion of GT frame f along one axis, from the pointer's position in each grid frame
// (path[k] = position in frame k): the path's change between the slot's start and end, which
// lie kChangeLeadSlots after the times of frames f-1 and f. Indices outside the path repeat
// its ends.
double gt_frame_motion(const std::vector<double>& path, int f, double lead_slots = kChangeLeadSlots);

// The baseline's answer for a window's frames (local labels F00..).
nlohmann::json baseline_window_answer(const std::vector<GrayImage>& frames);

}  // namespace idm::infer
