#include "infer/frame_image.hpp"

#include <algorithm>
#include <cmath>

namespace idm::infer {

FrameImage downscale_to_max_edge(const uint8_t* rgba, int width, int height, int stride_bytes, int max_edge_px) {
  FrameImage out;
  int longer = std::max(width, height);
  if (max_edge_px <= 0 || longer <= max_edge_px) {
    out.width = width;
    out.height = height;
    out.rgba.resize(static_cast<size_t>(width) * height * 4);
    for (int y = 0; y < height; ++y) {
      std::copy_n(rgba + static_cast<size_t>(y) * stride_bytes, static_cast<size_t>(width) * 4, out.rgba.data() + static_cast<size_t>(y) * width * 4);
    }
    return out;
  }
  double scale = static_cast<double>(max_edge_px) / longer;
  out.width = std::max(1, static_cast<int>(std::lround(width * scale)));
  out.height = std::max(1, static_cast<int>(std::lround(height * scale)));
  out.rgba.resize(static_cast<size_t>(out.width) * out.height * 4);
  // Each output pixel averages the source pixels whose centres fall inside its footprint.
  std::vector<int> x_begin(out.width + 1);
  for (int x = 0; x <= out.width; ++x) x_begin[x] = std::min(width, static_cast<int>(std::lround(static_cast<double>(x) * width / out.width)));
  std::vector<uint32_t> row_sum(static_cast<size_t>(out.width) * 4);
  for (int oy = 0; oy < out.height; ++oy) {
    int y0 = static_cast<int>(std::lround(static_cast<double>(oy) * height / out.height));
    int y1 = std::max(y0 + 1, std::min(height, static_cast<int>(std::lround(static_cast<double>(oy + 1) * height / out.height))));
    std::fill(row_sum.begin(), row_sum.end(), 0u);
    for (int y = y0; y < y1; ++y) {
      const uint8_t* row = rgba + static_cast<size_t>(y) * stride_bytes;
      for (int ox = 0; ox < out.width; ++ox) {
        int x1 = std::max(x_begin[ox] + 1, x_begin[ox + 1]);
        for (int x = x_begin[ox]; x < x1 && x < width; ++x) {
          for (int c = 0; c < 4; ++c) row_sum[static_cast<size_t>(ox) * 4 + c] += row[x * 4 + c];
        }
      }
    }
    for (int ox = 0; ox < out.width; ++ox) {
      int count_x = std::max(1, std::min(width, std::max(x_begin[ox] + 1, x_begin[ox + 1])) - x_begin[ox]);
      uint32_t count = static_cast<uint32_t>(count_x * (y1 - y0));
      for (int c = 0; c < 4; ++c) {
        out.rgba[(static_cast<size_t>(oy) * out.width + ox) * 4 + c] =
            static_cast<uint8_t>((row_sum[static_cast<size_t>(ox) * 4 + c] + count / 2) / count);
      }
    }
  }
  return out;
}

GrayImage to_gray(const FrameImage& image) {
  GrayImage out;
  out.width = image.width;
  out.height = image.height;
  out.pixels.resize(static_cast<size_t>(image.width) * image.height);
  for (size_t i = 0; i < out.pixels.size(); ++i) {
    const uint8_t* p = &image.rgba[i * 4];
    out.pixels[i] = static_cast<uint8_t>((77 * p[0] + 150 * p[1] + 29 * p[2] + 128) >> 8);
  }
  return out;
}

}  // namespace idm::infer
