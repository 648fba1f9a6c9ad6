#include "infer/baseline.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "infer/frame_diff.hpp"
#include "infer/frame_pipeline.hpp"
#include "infer/pointer_track.hpp"

namespace idm::infer {

namespace {

// Scroll: the vertical shift v with b(x, y) ~ a(x, y + v) inside the region, from row
// signatures, confirmed on pixels. 0 when no shift explains the change. Full resolution: a
// wheel unit need not be an even number of pixels (27 px at 800p), and half a pixel of
// misalignment on text costs as much as a wrong shift.
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
  // A true shift leaves only the encoder's noise (under 3 grey levels on the samples); a
  // redrawn window whose rows happen to line up at some shift still differs by 12 or more.
  double still = pixel_cost(0);
  return shifted < 0.5 * still && shifted < 6.0 ? best_shift : 0;
}

// Mean |a(p) - b(p + offset)| over the region's changed pixels.
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

// One pair's estimate, with what the window needs to track the pointer from it.
struct PairEstimate {
  PairMotion motion;
  Box from;          // the pointer's changed blob in a (when found)
  PointerLook look;  // the pixels that moved with it, anchored at (from.x0, from.y0)
};

PairEstimate estimate_pair(const GrayImage& a, const GrayImage& b, const FrameDiff& diff) {
  PairEstimate out;
  // A pointer is small: at most ~1/20 of the image's height across (about 50 px at 1080p).
  int small_px = std::max(12, a.height / 20);
  int large_px = a.height / 8;
  const Box* largest = nullptr;
  std::vector<const Box*> small;
  for (const Box& box : diff.coarse) {
    if (box.width() >= large_px && box.height() >= large_px && (!largest || box.changed_pixels > largest->changed_pixels)) largest = &box;
  }
  for (const Box& box : diff.fine) {
    if (box.width() <= small_px && box.height() <= small_px && box.changed_pixels >= 6) small.push_back(&box);
  }
  if (largest) out.motion.scroll_px = region_row_shift(a, b, *largest);

  // The pointer: the small blob whose look in a reappears in b at an offset, either at another
  // small blob (a long move) or nearby within its own blob (a short, overlapping move), and
  // whose moved pixels are the most.
  // A text caret (2 px wide) or a single dot is not a pointer: what moved spans at least ~1/120
  // of the image's height in both directions (the caret plus the letter typed at its old place
  // is wider, but the letter did not move).
  int min_extent_px = std::max(4, a.height / 120);
  // Pieces of a scrolled page or a redrawn window look like each other: no pointer is sought
  // inside a changed region much bigger than a pointer.
  std::vector<const Box*> busy;
  for (const Box& box : diff.coarse) {
    if (box.width() > 3 * small_px || box.height() > 3 * small_px) busy.push_back(&box);
  }
  auto inside_busy_region = [&](const Box* box) {
    return std::any_of(busy.begin(), busy.end(), [&](const Box* region) { return region->contains(*box); });
  };
  for (const Box* from : small) {
    if (inside_busy_region(from)) continue;
    if (from->width() < min_extent_px || from->height() < min_extent_px || !has_contrast(a, *from)) continue;
    auto consider = [&](int ox, int oy) {
      if (ox == 0 && oy == 0) return std::numeric_limits<double>::max();
      return match_cost(a, b, diff.changed, *from, ox, oy);
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
    if (best_cost >= 14.0) continue;
    PointerLook look = learn_pointer_look(a, b, diff.changed, *from, best_ox, best_oy);
    if (look.width() < min_extent_px || look.height() < min_extent_px) continue;
    if (look.pixels.size() > out.look.pixels.size()) {
      out.motion.cursor_found = true;
      out.motion.cursor_dx_px = best_ox;
      out.motion.cursor_dy_px = best_oy;
      out.from = *from;
      out.look = std::move(look);
    }
  }
  return out;
}

struct Move {
  bool moved = false;
  double dx_px = 0.0, dy_px = 0.0;
};

// The pointer's move from frame f-1 to f for each f >= 1. Tracked from the pair that showed the
// most of the pointer; where tracking loses it, the pair's own estimate stands.
std::vector<Move> pointer_moves(const std::vector<GrayImage>& frames, const std::vector<PairEstimate>& pairs,
                                const std::vector<std::vector<Box>>& changed) {
  size_t n = frames.size();
  size_t seed = 0;
  for (size_t f = 1; f < n; ++f) {
    if (pairs[f].look.pixels.size() > pairs[seed].look.pixels.size()) seed = f;
  }
  std::vector<PointerFix> fixes(n);
  if (seed > 0) {
    const PairEstimate& clean = pairs[seed];
    int dx = static_cast<int>(clean.motion.cursor_dx_px), dy = static_cast<int>(clean.motion.cursor_dy_px);
    fixes = track_pointer(clean.look, frames, changed, static_cast<int>(seed), clean.from.x0, clean.from.y0, clean.from.x0 + dx,
                          clean.from.y0 + dy);
  }
  std::vector<Move> moves(n);
  for (size_t f = 1; f < n; ++f) {
    if (fixes[f - 1].found && fixes[f].found) {
      double dx = fixes[f].x - fixes[f - 1].x, dy = fixes[f].y - fixes[f - 1].y;
      moves[f] = {dx != 0 || dy != 0, dx, dy};
    } else if (pairs[f].motion.cursor_found) {
      moves[f] = {true, pairs[f].motion.cursor_dx_px, pairs[f].motion.cursor_dy_px};
    }
  }
  return moves;
}

}  // namespace

PairMotion estimate_pair_motion(const GrayImage& a, const GrayImage& b) {
  if (a.width != b.width || a.height != b.height || a.pixels.empty()) return {};
  return estimate_pair(a, b, diff_frames(a, b)).motion;
}

double monotone_cubic(double p0, double p1, double p2, double p3, double u) {
  auto tangent = [](double before, double after) { return before * after > 0 ? 2 * before * after / (before + after) : 0.0; };
  double m1 = tangent(p1 - p0, p2 - p1), m2 = tangent(p2 - p1, p3 - p2);
  double u2 = u * u, u3 = u2 * u;
  return (2 * u3 - 3 * u2 + 1) * p1 + (u3 - 2 * u2 + u) * m1 + (-2 * u3 + 3 * u2) * p2 + (u3 - u2) * m2;
}

double gt_frame_motion(const std::vector<double>& path, int f, double lead_slots) {
  if (path.empty()) return 0.0;
  int last = static_cast<int>(path.size()) - 1;
  auto at = [&](int k) { return path[static_cast<size_t>(std::clamp(k, 0, last))]; };
  // The slot of GT frame f runs from lead_slots after frame f-1's time to lead_slots after f's.
  double start = monotone_cubic(at(f - 2), at(f - 1), at(f), at(f + 1), lead_slots);
  double end = monotone_cubic(at(f - 1), at(f), at(f + 1), at(f + 2), lead_slots);
  return end - start;
}

nlohmann::json baseline_window_answer(const std::vector<GrayImage>& frames) {
  nlohmann::json answer = nlohmann::json::array();
  int n = static_cast<int>(frames.size());
  if (n < 2) return answer;
  for (const GrayImage& frame : frames) {
    if (frame.width != frames[0].width || frame.height != frames[0].height || frame.pixels.empty()) return answer;
  }
  // pairs[f] and changed[f] are about the change from frame f-1 to frame f (f >= 1); the
  // per-pixel masks are not kept (2 MB each at 1728x1080).
  std::vector<PairEstimate> pairs(static_cast<size_t>(n));
  std::vector<std::vector<Box>> changed(static_cast<size_t>(n));
  for (int f = 1; f < n; ++f) {
    auto i = static_cast<size_t>(f);
    FrameDiff diff = diff_frames(frames[i - 1], frames[i]);
    pairs[i] = estimate_pair(frames[i - 1], frames[i], diff);
    changed[i] = std::move(diff.fine);
  }
  std::vector<Move> moves = pointer_moves(frames, pairs, changed);

  // The pointer's path through the window, from its moves (frame 0 at the origin).
  std::vector<double> path_x(static_cast<size_t>(n), 0.0), path_y(static_cast<size_t>(n), 0.0);
  for (int f = 1; f < n; ++f) {
    auto i = static_cast<size_t>(f);
    path_x[i] = path_x[i - 1] + moves[i].dx_px;
    path_y[i] = path_y[i - 1] + moves[i].dy_px;
  }
  int width = frames[0].width, height = frames[0].height;
  for (int f = 1; f < n; ++f) {
    auto i = static_cast<size_t>(f);
    // Scroll: a run of shifting pairs in one direction is one scroll (GT coalesces them too),
    // reported at the frame where the shift is first seen. A wheel event late in GT frame f-1's
    // slot (the last 1/6 of it, kChangeLeadSlots) also first shows here: the frames cannot tell
    // it from one early in frame f, and f is five times likelier.
    int scroll_px = pairs[i].motion.scroll_px;
    if (scroll_px != 0) {
      bool down = scroll_px > 0;
      int before_px = pairs[i - 1].motion.scroll_px;
      bool continues = f >= 2 && before_px != 0 && (before_px > 0) == down;
      if (!continues) answer.push_back({{"frame", frame_label(f)}, {"type", "MouseScroll"}, {"details", down ? "down" : "up"}});
    }
    // Mouse: a frame moved when the pointer changed place from f-1 to f; the vector is GT frame
    // f's motion read off the pointer's path.
    if (!moves[i].moved) continue;
    double dx = gt_frame_motion(path_x, f), dy = gt_frame_motion(path_y, f);
    long nx = std::lround(dx / width * 1000.0), ny = std::lround(dy / height * 1000.0);
    answer.push_back({{"frame", frame_label(f)}, {"type", "MouseMove"}, {"details", std::to_string(nx) + "," + std::to_string(ny)}});
  }
  return answer;
}

}  // namespace idm::infer
