#pragma once
// What changed between two grid frames: a per-pixel mask and the changed regions, grouped at
// two block sizes. Shared by the baseline's scroll estimate and its pointer tracker.
#include <cstdint>
#include <limits>
#include <vector>

#include "infer/frame_image.hpp"

namespace idm::infer {

constexpr int kDiffThreshold = 24;  // grey levels: below this, H.264 noise

struct Box {
  int x0 = std::numeric_limits<int>::max(), y0 = std::numeric_limits<int>::max(), x1 = -1, y1 = -1;  // inclusive, pixels
  int changed_pixels = 0;
  int width() const { return x1 - x0 + 1; }
  int height() const { return y1 - y0 + 1; }
  bool contains(const Box& inner) const { return inner.x0 >= x0 && inner.x1 <= x1 && inner.y0 >= y0 && inner.y1 <= y1; }
};

struct FrameDiff {
  std::vector<uint8_t> changed;  // 1 where |a - b| > kDiffThreshold, row-major like the images
  // Coarse blocks (~1/54 of the height, 20 px at 1080p) join the lines of a scrolled page into
  // one region; fine blocks (~1/270) keep the pointer apart from whatever changes next to it.
  std::vector<Box> coarse;
  std::vector<Box> fine;
};

// a and b must have the same size.
FrameDiff diff_frames(const GrayImage& a, const GrayImage& b);

}  // namespace idm::infer
