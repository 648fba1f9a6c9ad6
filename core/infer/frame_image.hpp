#pragma once
// Grid frames as the inference pipeline hands them around: packed RGBA (stride = 4 * width).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace idm::infer {

struct FrameImage {
  int grid_frame = 0;
  int width = 0;
  int height = 0;
  std::vector<uint8_t> rgba;  // width * height * 4
};

struct GrayImage {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> pixels;  // width * height, BT.601 luma
  uint8_t at(int x, int y) const { return pixels[static_cast<size_t>(y) * width + x]; }
};

// Area-average downscale so that the longer edge is at most max_edge_px (0 or larger than
// the image: a copy). Averaging, not point sampling, so thin text strokes survive.
FrameImage downscale_to_max_edge(const uint8_t* rgba, int width, int height, int stride_bytes, int max_edge_px);

GrayImage to_gray(const FrameImage& image);

// PNG bytes of the image (our own writer over zlib: png_encode.cpp); empty on failure.
std::string encode_png(const FrameImage& image);

}  // namespace idm::infer
