#include "infer/frame_diff.hpp"

#include <algorithm>
#include <cstdlib>

namespace idm::infer {

namespace {

// Connected groups of changed blocks (8-connected), with the exact pixel box inside.
std::vector<Box> changed_regions(const std::vector<uint8_t>& changed, int w, int h, int block_px) {
  int bw = (w + block_px - 1) / block_px, bh = (h + block_px - 1) / block_px;
  std::vector<uint8_t> block(static_cast<size_t>(bw) * bh, 0);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      if (changed[static_cast<size_t>(y) * w + x]) block[static_cast<size_t>(y / block_px) * bw + x / block_px] = 1;
    }
  }
  std::vector<int> label(block.size(), -1);
  std::vector<Box> boxes;
  std::vector<int> stack;
  for (int start = 0; start < static_cast<int>(block.size()); ++start) {
    if (!block[start] || label[start] >= 0) continue;
    int id = static_cast<int>(boxes.size());
    boxes.emplace_back();
    stack.assign(1, start);
    label[start] = id;
    while (!stack.empty()) {
      int cell = stack.back();
      stack.pop_back();
      int cx = cell % bw, cy = cell / bw;
      for (int y = cy * block_px; y < std::min(h, (cy + 1) * block_px); ++y) {
        for (int x = cx * block_px; x < std::min(w, (cx + 1) * block_px); ++x) {
          if (!changed[static_cast<size_t>(y) * w + x]) continue;
          Box& box = boxes[id];
          box.x0 = std::min(box.x0, x);
          box.y0 = std::min(box.y0, y);
          box.x1 = std::max(box.x1, x);
          box.y1 = std::max(box.y1, y);
          ++box.changed_pixels;
        }
      }
      for (int dy = -1; dy <= 1; ++dy) {
        for (int dx = -1; dx <= 1; ++dx) {
          int nx = cx + dx, ny = cy + dy;
          if (nx < 0 || ny < 0 || nx >= bw || ny >= bh) continue;
          int next = ny * bw + nx;
          if (block[next] && label[next] < 0) {
            label[next] = id;
            stack.push_back(next);
          }
        }
      }
    }
  }
  return boxes;
}

}  // namespace

FrameDiff diff_frames(const GrayImage& a, const GrayImage& b) {
  FrameDiff out;
  out.changed.assign(a.pixels.size(), 0);
  for (size_t i = 0; i < a.pixels.size(); ++i) out.changed[i] = std::abs(a.pixels[i] - b.pixels[i]) > kDiffThreshold;
  out.coarse = changed_regions(out.changed, a.width, a.height, std::max(4, a.height / 54));
  out.fine = changed_regions(out.changed, a.width, a.height, std::max(2, a.height / 270));
  return out;
}

}  // namespace idm::infer
