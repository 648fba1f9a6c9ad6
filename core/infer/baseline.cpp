#include "infer/baseline.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "infer/frame_pipeline.hpp"

namespace idm::infer {

namespace {

constexpr int kDiffThreshold = 24;  // grey levels: below this, H.264 noise

struct Box {
  int x0 = std::numeric_limits<int>::max(), y0 = std::numeric_limits<int>::max(), x1 = -1, y1 = -1;  // inclusive, pixels
  int changed_pixels = 0;
  int width() const { return x1 - x0 + 1; }
  int height() const { return y1 - y0 + 1; }
};

// Connected groups of changed blocks (8-connected), with the exact pixel box inside.
std::vector<Box> changed_regions(const GrayImage& a, const GrayImage& b, int block_px, std::vector<uint8_t>& changed) {
  int w = a.width, h = a.height;
  const int kBlockPx = block_px;
  changed.assign(a.pixels.size(), 0);
  int bw = (w + kBlockPx - 1) / kBlockPx, bh = (h + kBlockPx - 1) / kBlockPx;
  std::vector<uint8_t> block(static_cast<size_t>(bw) * bh, 0);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      size_t i = static_cast<size_t>(y) * w + x;
      if (std::abs(a.pixels[i] - b.pixels[i]) > kDiffThreshold) {
        changed[i] = 1;
        block[static_cast<size_t>(y / kBlockPx) * bw + x / kBlockPx] = 1;
      }
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
      for (int y = cy * kBlockPx; y < std::min(h, (cy + 1) * kBlockPx); ++y) {
        for (int x = cx * kBlockPx; x < std::min(w, (cx + 1) * kBlockPx); ++x) {
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

// Scroll: the vertical shift v with b(x, y) ~ a(x, y + v) inside the region, from row
// signatures, confirmed on pixels. 0 when no shift explains the change.
int region_row_shift(const GrayImage& a, const GrayImage& b, const Box& box) {
  int rows = box.height();
  auto signature = [&](const GrayImage& image) {
    std::vector<double> out(static_cast<size_t>(rows));
    for (int y = 0; y < rows; ++y) {
      long sum = 0;
      for (int x = box.x0; x <= box.x1; ++x) sum += image.at(x, box.y0 + y);
      out[static_cast<size_t>(y)] = static_cast<double>(sum) / box.width();
    }
    return out;
  };
  std::vector<double> sa = signature(a), sb = signature(b);
  int max_shift = rows * 3 / 4;
  std::vector<std::pair<double, int>> by_cost;  // (signature cost, shift)
  for (int v = -max_shift; v <= max_shift; ++v) {
    if (v == 0) continue;
    double cost = 0;
    int count = 0;
    for (int y = std::max(0, -v); y < rows && y + v < rows; ++y) {
      cost += std::abs(sb[static_cast<size_t>(y)] - sa[static_cast<size_t>(y + v)]);
      ++count;
    }
    if (count >= rows / 4) by_cost.emplace_back(cost / count, v);
  }
  if (by_cost.empty()) return 0;
  auto pixel_cost = [&](int v) {
    long cost = 0, count = 0;
    for (int y = std::max(box.y0, box.y0 - v); y <= box.y1 && y + v <= box.y1; y += 2) {
      for (int x = box.x0; x <= box.x1; x += 2) {
        cost += std::abs(b.at(x, y) - a.at(x, y + v));
        ++count;
      }
    }
    return count ? static_cast<double>(cost) / count : std::numeric_limits<double>::max();
  };
  // Row signatures of evenly spaced text lines repeat every line: check the best few shifts
  // on pixels, not just the first.
  size_t candidates = std::min<size_t>(32, by_cost.size());
  std::partial_sort(by_cost.begin(), by_cost.begin() + static_cast<long>(candidates), by_cost.end());
  int best_shift = 0;
  double shifted = std::numeric_limits<double>::max();
  for (size_t i = 0; i < candidates; ++i) {
    double cost = pixel_cost(by_cost[i].second);
    if (cost < shifted) shifted = cost, best_shift = by_cost[i].second;
  }
  double still = pixel_cost(0);
  return shifted < 0.5 * still && shifted < 12.0 ? best_shift : 0;
}

// Mean |a(p) - b(p + offset)| over the region's changed pixels, and the contrast of a there.
double match_cost(const GrayImage& a, const GrayImage& b, const std::vector<uint8_t>& changed, const Box& box, int ox, int oy) {
  long cost = 0, count = 0;
  for (int y = box.y0; y <= box.y1; ++y) {
    int by = y + oy;
    if (by < 0 || by >= b.height) return std::numeric_limits<double>::max();
    for (int x = box.x0; x <= box.x1; ++x) {
      if (!changed[static_cast<size_t>(y) * a.width + x]) continue;
      int bx = x + ox;
      if (bx < 0 || bx >= b.width) return std::numeric_limits<double>::max();
      cost += std::abs(a.at(x, y) - b.at(bx, by));
      ++count;
    }
  }
  return count ? static_cast<double>(cost) / count : std::numeric_limits<double>::max();
}

// Something visible moved: the region in a is not flat (a glyph appearing on a blank page is).
bool has_contrast(const GrayImage& image, const Box& box) {
  int lo = 255, hi = 0;
  for (int y = box.y0; y <= box.y1; ++y) {
    for (int x = box.x0; x <= box.x1; ++x) {
      lo = std::min<int>(lo, image.at(x, y));
      hi = std::max<int>(hi, image.at(x, y));
    }
  }
  return hi - lo > 60;
}

GrayImage half_size(const GrayImage& image) {
  GrayImage out;
  out.width = std::max(1, image.width / 2);
  out.height = std::max(1, image.height / 2);
  out.pixels.resize(static_cast<size_t>(out.width) * out.height);
  for (int y = 0; y < out.height; ++y) {
    for (int x = 0; x < out.width; ++x) {
      int x1 = std::min(2 * x + 1, image.width - 1), y1 = std::min(2 * y + 1, image.height - 1);
      int sum = image.at(2 * x, 2 * y) + image.at(x1, 2 * y) + image.at(2 * x, y1) + image.at(x1, y1);
      out.pixels[static_cast<size_t>(y) * out.width + x] = static_cast<uint8_t>((sum + 2) / 4);
    }
  }
  return out;
}

}  // namespace

PairMotion estimate_pair_motion(const GrayImage& a, const GrayImage& b) {
  PairMotion out;
  if (a.width != b.width || a.height != b.height || a.pixels.empty()) return out;
  // Changed pixels grouped in coarse blocks (~1/54 of the height, 20 px at 1080p) join the
  // lines of a scrolled page into one region; fine blocks (~1/270) keep the pointer apart from
  // whatever changes next to it.
  std::vector<uint8_t> changed;
  std::vector<Box> coarse = changed_regions(a, b, std::max(4, a.height / 54), changed);
  std::vector<Box> boxes = changed_regions(a, b, std::max(2, a.height / 270), changed);
  // A pointer is small: at most ~1/20 of the image's height across (about 50 px at 1080p).
  int small_px = std::max(12, a.height / 20);
  int large_px = a.height / 8;
  const Box* largest = nullptr;
  std::vector<const Box*> small;
  for (const Box& box : coarse) {
    if (box.width() >= large_px && box.height() >= large_px && (!largest || box.changed_pixels > largest->changed_pixels)) largest = &box;
  }
  for (const Box& box : boxes) {
    if (box.width() <= small_px && box.height() <= small_px && box.changed_pixels >= 6) small.push_back(&box);
  }
  if (largest) {
    // Row shifts are judged at half size: averaging 2x2 blocks evens out the encoder's noise,
    // which does not move with the page.
    GrayImage half_a = half_size(a), half_b = half_size(b);
    Box half_box{largest->x0 / 2, largest->y0 / 2, std::min(largest->x1 / 2, half_a.width - 1), std::min(largest->y1 / 2, half_a.height - 1), 0};
    out.scroll_px = 2 * region_row_shift(half_a, half_b, half_box);
  }

  // The pointer: the largest small blob whose look in a reappears in b at an offset, either at
  // another small blob (a long move) or nearby within its own blob (a short, overlapping move).
  double best_area = 0;
  // A text caret (2 px wide) or a single dot is not a pointer: a pointer is at least ~1/120 of
  // the image's height in both directions, even when it moved by one pixel.
  int min_extent_px = std::max(4, a.height / 120);
  // Pieces of a scrolled page or a redrawn window look like each other: no pointer is sought
  // inside a changed region much bigger than a pointer.
  std::vector<const Box*> busy;
  for (const Box& box : coarse) {
    if (box.width() > 3 * small_px || box.height() > 3 * small_px) busy.push_back(&box);
  }
  auto inside_busy_region = [&](const Box* box) {
    for (const Box* region : busy) {
      if (box->x0 >= region->x0 && box->x1 <= region->x1 && box->y0 >= region->y0 && box->y1 <= region->y1) return true;
    }
    return false;
  };
  for (const Box* from : small) {
    if (inside_busy_region(from)) continue;
    if (from->width() < min_extent_px || from->height() < min_extent_px || !has_contrast(a, *from)) continue;
    auto consider = [&](int ox, int oy) {
      if (ox == 0 && oy == 0) return std::numeric_limits<double>::max();
      return match_cost(a, b, changed, *from, ox, oy);
    };
    double best_cost = std::numeric_limits<double>::max();
    int best_ox = 0, best_oy = 0;
    for (const Box* to : small) {
      if (to == from || inside_busy_region(to)) continue;
      if (std::abs(to->width() - from->width()) > small_px / 2 || std::abs(to->height() - from->height()) > small_px / 2) continue;
      int cx = to->x0 - from->x0, cy = to->y0 - from->y0;
      for (int oy = cy - 3; oy <= cy + 3; ++oy) {
        for (int ox = cx - 3; ox <= cx + 3; ++ox) {
          double cost = consider(ox, oy);
          if (cost < best_cost) best_cost = cost, best_ox = ox, best_oy = oy;
        }
      }
    }
    int reach = std::max(from->width(), from->height());
    for (int oy = -reach; oy <= reach; ++oy) {
      for (int ox = -reach; ox <= reach; ++ox) {
        double cost = consider(ox, oy);
        if (cost < best_cost) best_cost = cost, best_ox = ox, best_oy = oy;
      }
    }
    double area = from->changed_pixels;
    if (best_cost < 14.0 && area > best_area) {
      best_area = area;
      out.cursor_found = true;
      out.cursor_dx_px = best_ox;
      out.cursor_dy_px = best_oy;
    }
  }
  return out;
}

nlohmann::json baseline_window_answer(const std::vector<GrayImage>& frames) {
  nlohmann::json answer = nlohmann::json::array();
  int n = static_cast<int>(frames.size());
  if (n < 2) return answer;
  // motion[f] is the change from frame f-1 to frame f (f >= 1).
  std::vector<PairMotion> motion(static_cast<size_t>(n));
  for (int f = 1; f < n; ++f) motion[static_cast<size_t>(f)] = estimate_pair_motion(frames[static_cast<size_t>(f - 1)], frames[static_cast<size_t>(f)]);
  int width = frames[0].width, height = frames[0].height;
  for (int f = 0; f < n; ++f) {
    // Scroll: a run of shifting pairs in one direction is one scroll (GT coalesces them too),
    // reported at the frame where the shift is first seen.
    const PairMotion& now = motion[static_cast<size_t>(f)];
    if (f >= 1 && now.scroll_px != 0) {
      bool down = now.scroll_px > 0;
      const PairMotion& before = motion[static_cast<size_t>(f - 1)];
      bool continues = f >= 2 && before.scroll_px != 0 && (before.scroll_px > 0) == down;
      if (!continues) answer.push_back({{"frame", frame_label(f)}, {"type", "MouseScroll"}, {"details", down ? "down" : "up"}});
    }
    // Mouse: grid frame f shows the screen as of (f + 0.5) / fps (the fps filter takes the
    // last source frame of its slot), so the change from f-1 to f is exactly the moves that
    // GT frame f sums: those in [(f - 0.5) / fps, (f + 0.5) / fps).
    bool moved = f >= 1 && now.cursor_found;
    double dx = moved ? now.cursor_dx_px : 0.0, dy = moved ? now.cursor_dy_px : 0.0;
    if (!moved) continue;
    long nx = std::lround(dx / width * 1000.0), ny = std::lround(dy / height * 1000.0);
    answer.push_back({{"frame", frame_label(f)}, {"type", "MouseMove"}, {"details", std::to_string(nx) + "," + std::to_string(ny)}});
  }
  return answer;
}

}  // namespace idm::infer
