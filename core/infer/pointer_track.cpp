#include "infer/pointer_track.hpp"

#include <algorithm>
#include <cstdlib>

namespace idm::infer {

namespace {

constexpr int kAlikeLevels = 24;  // grey levels: the same pointer pixel in both frames

// Best anchor over x in [x0, x1], y in [y0, y1] (clipped to where the look can be at least
// partly inside the image).
PointerFix best_in(const PointerLook& look, const GrayImage& image, int x0, int y0, int x1, int y1, PointerFix best) {
  x0 = std::max(x0, -look.max_dx);
  y0 = std::max(y0, -look.max_dy);
  x1 = std::min(x1, image.width - 1 - look.min_dx);
  y1 = std::min(y1, image.height - 1 - look.min_dy);
  for (int y = y0; y <= y1; ++y) {
    for (int x = x0; x <= x1; ++x) {
      double cost = look_cost(look, image, x, y, std::min(best.cost, kLookMatchCost));
      if (cost < best.cost) best = {true, x, y, cost};
    }
  }
  return best;
}

PointerFix find_near(const PointerLook& look, const GrayImage& image, int x, int y) {
  // Drift and short nudges: a few dozen pixels per grid frame at most (24 px at 1080p).
  int radius = std::max(8, image.height / 45);
  return best_in(look, image, x - radius, y - radius, x + radius, y + radius, {});
}

// A pointer that moved is somewhere the frames changed: anchors that put the look over a
// changed region.
PointerFix find_in_regions(const PointerLook& look, const GrayImage& image, const std::vector<Box>& regions) {
  PointerFix best;
  for (const Box& box : regions) best = best_in(look, image, box.x0 - look.max_dx, box.y0 - look.max_dy, box.x1 - look.min_dx, box.y1 - look.min_dy, best);
  return best;
}

PointerFix find_anywhere(const PointerLook& look, const GrayImage& image) {
  return best_in(look, image, -look.max_dx, -look.max_dy, image.width, image.height, {});
}

}  // namespace

PointerLook learn_pointer_look(const GrayImage& a, const GrayImage& b, const std::vector<uint8_t>& changed, const Box& from,
                               int ox, int oy) {
  std::vector<PointerLook::Pixel> raster;
  for (int y = from.y0; y <= from.y1; ++y) {
    for (int x = from.x0; x <= from.x1; ++x) {
      int bx = x + ox, by = y + oy;
      if (bx < 0 || by < 0 || bx >= b.width || by >= b.height) continue;
      if (!changed[static_cast<size_t>(y) * a.width + x] || !changed[static_cast<size_t>(by) * a.width + bx]) continue;
      if (std::abs(a.at(x, y) - b.at(bx, by)) > kAlikeLevels) continue;
      raster.push_back({x - from.x0, y - from.y0, a.at(x, y)});
    }
  }
  PointerLook look;
  if (raster.empty()) return look;
  // Every 7th pixel first: neighbours are alike, so spread-out pixels reject a wrong place sooner.
  constexpr size_t kStride = 7;
  for (size_t phase = 0; phase < kStride; ++phase) {
    for (size_t i = phase; i < raster.size(); i += kStride) look.pixels.push_back(raster[i]);
  }
  look.min_dx = look.max_dx = raster[0].dx;
  look.min_dy = look.max_dy = raster[0].dy;
  for (const auto& p : raster) {
    look.min_dx = std::min(look.min_dx, p.dx);
    look.max_dx = std::max(look.max_dx, p.dx);
    look.min_dy = std::min(look.min_dy, p.dy);
    look.max_dy = std::max(look.max_dy, p.dy);
  }
  return look;
}

double look_cost(const PointerLook& look, const GrayImage& image, int x, int y, double give_up_above) {
  constexpr double kNever = std::numeric_limits<double>::max();
  if (look.pixels.empty()) return kNever;
  double give_up_sum = give_up_above * static_cast<double>(look.pixels.size());
  long sum = 0, inside = 0;
  for (const auto& p : look.pixels) {
    int px = x + p.dx, py = y + p.dy;
    if (px < 0 || py < 0 || px >= image.width || py >= image.height) continue;
    sum += std::abs(image.at(px, py) - p.value);
    ++inside;
    if (static_cast<double>(sum) > give_up_sum) return kNever;
  }
  if (inside * 4 < static_cast<long>(look.pixels.size()) * 3) return kNever;
  double mean = static_cast<double>(sum) / static_cast<double>(inside);
  return mean > give_up_above ? kNever : mean;
}

std::vector<PointerFix> track_pointer(const PointerLook& look, const std::vector<GrayImage>& frames,
                                      const std::vector<std::vector<Box>>& changed, int seed, int from_x, int from_y,
                                      int to_x, int to_y) {
  int n = static_cast<int>(frames.size());
  std::vector<PointerFix> fixes(static_cast<size_t>(n));
  if (seed < 1 || seed >= n || look.pixels.empty()) return fixes;
  fixes[static_cast<size_t>(seed - 1)] = {true, from_x, from_y, 0.0};
  fixes[static_cast<size_t>(seed)] = {true, to_x, to_y, 0.0};
  // Frame k, next to frame `known`; `regions` changed between the two.
  auto follow = [&](int k, int known, const std::vector<Box>& regions) {
    const GrayImage& image = frames[static_cast<size_t>(k)];
    const PointerFix& last = fixes[static_cast<size_t>(known)];
    PointerFix fix;
    if (last.found) fix = find_near(look, image, last.x, last.y);
    if (!fix.found) fix = find_in_regions(look, image, regions);
    // Lost in the frame before and not moved since: only a search of the whole frame finds it.
    if (!fix.found && !last.found) fix = find_anywhere(look, image);
    fixes[static_cast<size_t>(k)] = fix;
  };
  for (int k = seed + 1; k < n; ++k) follow(k, k - 1, changed[static_cast<size_t>(k)]);
  for (int k = seed - 2; k >= 0; --k) follow(k, k + 1, changed[static_cast<size_t>(k + 1)]);
  return fixes;
}

}  // namespace idm::infer
