#pragma once
// The built-in baseline IDM: classical vision, no model. Between two consecutive grid
// frames it estimates (1) a vertical scroll from the row shift of the largest changed
// region, and (2) the cursor's displacement by matching the largest small moving blob
// (the pointer) from its old place onto its new one. It answers like a model would: a JSON
// array with window-local frame labels.
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

// Motion from frame a to frame b (same size).
PairMotion estimate_pair_motion(const GrayImage& a, const GrayImage& b);

// The baseline's answer for a window's frames (local labels F00..).
nlohmann::json baseline_window_answer(const std::vector<GrayImage>& frames);

}  // namespace idm::infer
