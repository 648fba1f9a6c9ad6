#include "rsv_eval/resample.hpp"

#include <algorithm>
#include <cmath>

namespace idm::rsv_eval {

std::vector<uint8_t> fit_rgb(const std::vector<uint8_t>& source, int source_width, int source_height, int width, int height) {
  if (source_width == width && source_height == height) return source;
  // Centre crop to the target aspect.
  double crop_width = source_width, crop_height = source_height;
  if (static_cast<double>(source_width) * height > static_cast<double>(source_height) * width) {
    crop_width = static_cast<double>(source_height) * width / height;
  } else {
    crop_height = static_cast<double>(source_width) * height / width;
  }
  const double x0 = (source_width - crop_width) / 2.0, y0 = (source_height - crop_height) / 2.0;
  const double scale_x = crop_width / width, scale_y = crop_height / height;
  std::vector<uint8_t> out(static_cast<size_t>(width) * height * 3);
  for (int oy = 0; oy < height; ++oy) {
    const double top = y0 + oy * scale_y, bottom = top + scale_y;
    for (int ox = 0; ox < width; ++ox) {
      const double left = x0 + ox * scale_x, right = left + scale_x;
      double sum[3] = {0, 0, 0};
      double weight_sum = 0.0;
      for (int sy = static_cast<int>(std::floor(top)); sy < static_cast<int>(std::ceil(bottom)) && sy < source_height; ++sy) {
        const double wy = std::min<double>(bottom, sy + 1) - std::max<double>(top, sy);
        if (wy <= 0 || sy < 0) continue;
        for (int sx = static_cast<int>(std::floor(left)); sx < static_cast<int>(std::ceil(right)) && sx < source_width; ++sx) {
          const double wx = std::min<double>(right, sx + 1) - std::max<double>(left, sx);
          if (wx <= 0 || sx < 0) continue;
          const uint8_t* pixel = source.data() + (static_cast<size_t>(sy) * source_width + sx) * 3;
          for (int c = 0; c < 3; ++c) sum[c] += wx * wy * pixel[c];
          weight_sum += wx * wy;
        }
      }
      uint8_t* target = out.data() + (static_cast<size_t>(oy) * width + ox) * 3;
      for (int c = 0; c < 3; ++c) target[c] = static_cast<uint8_t>(std::clamp(std::lround(sum[c] / std::max(weight_sum, 1e-12)), 0L, 255L));
    }
  }
  return out;
}

}  // namespace idm::rsv_eval
