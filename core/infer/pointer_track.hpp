#pragma once
// The baseline's pointer tracker. The pointer's look is learned from one clean move inside the
// window (the pixels that travelled with it), then looked for in every frame of the window.
// Matching the look, rather than matching changed blobs pair by pair, still finds the pointer
// when it lands on a button that changes colour, sits over a scrolling page or over text, and
// it knows when the pointer stayed put, so a text caret moving by one letter is not taken
// for a pointer move.
#include <limits>
#include <vector>

#include "infer/frame_diff.hpp"
#include "infer/frame_image.hpp"

namespace idm::infer {

struct PointerLook {
  struct Pixel {
    int dx = 0, dy = 0;  // from the anchor, pixels
    int value = 0;       // grey level
  };
  std::vector<Pixel> pixels;  // in a spread-out order, so a bad position is rejected early
  int min_dx = 0, max_dx = 0, min_dy = 0, max_dy = 0;  // extent of `pixels`
  int width() const { return pixels.empty() ? 0 : max_dx - min_dx + 1; }
  int height() const { return pixels.empty() ? 0 : max_dy - min_dy + 1; }
};

// The pixels of `from` (a box in a) that moved by (ox, oy) into b: changed at p and at p + offset,
// and alike across the offset. Background left behind is unchanged at p, and content that merely
// changed in place is unchanged at p + offset, so neither joins. Anchored at (from.x0, from.y0).
PointerLook learn_pointer_look(const GrayImage& a, const GrayImage& b, const std::vector<uint8_t>& changed, const Box& from,
                               int ox, int oy);

// Mean |look - image| with the anchor at (x, y), or max() when under 3/4 of the look is inside
// the image or the mean exceeds give_up_above (checked as it goes, so misses are cheap).
double look_cost(const PointerLook& look, const GrayImage& image, int x, int y,
                 double give_up_above = std::numeric_limits<double>::max());

struct PointerFix {
  bool found = false;
  int x = 0, y = 0;  // anchor position, pixels
  double cost = std::numeric_limits<double>::max();
};

// A mean difference at or below this (grey levels) is the pointer; H.264 blurs its thin
// outline by a few levels, anything else in the frame differs by tens.
constexpr double kLookMatchCost = 16.0;

// Anchor positions in every frame. changed[k] holds the (fine) changed regions from frame k-1
// to k (changed[0] unused). The pointer is known at (from_x, from_y) in frame seed-1 and
// (to_x, to_y) in frame seed; it is followed both ways: first near its last place, then
// wherever the frames changed.
std::vector<PointerFix> track_pointer(const PointerLook& look, const std::vector<GrayImage>& frames,
                                      const std::vector<std::vector<Box>>& changed, int seed, int from_x, int from_y,
                                      int to_x, int to_y);

}  // namespace idm::infer
