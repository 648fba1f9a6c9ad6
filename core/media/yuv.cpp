// Our own colour conversion: fixed integer maths, so frames are identical on every machine.
// BT.709, limited range, as macOS screen recordings are tagged (the encoder writes the tags).
#include <cstdint>

#include "media/video_encoder.hpp"

namespace idm::media {

void rgb_to_yuv420(const uint8_t* rgb, int width, int height, uint8_t* y_plane, int y_stride, uint8_t* u_plane,
                   int u_stride, uint8_t* v_plane, int v_stride) {
  for (int y = 0; y < height; ++y) {
    const uint8_t* p = rgb + static_cast<size_t>(y) * width * 3;
    uint8_t* out = y_plane + static_cast<size_t>(y) * y_stride;
    for (int x = 0; x < width; ++x, p += 3) {
      out[x] = static_cast<uint8_t>(((47 * p[0] + 157 * p[1] + 16 * p[2] + 128) >> 8) + 16);
    }
  }
  for (int cy = 0; cy < height / 2; ++cy) {
    for (int cx = 0; cx < width / 2; ++cx) {
      int r = 0, g = 0, b = 0;
      for (int dy = 0; dy < 2; ++dy) {
        const uint8_t* p = rgb + (static_cast<size_t>(2 * cy + dy) * width + 2 * cx) * 3;
        r += p[0] + p[3];
        g += p[1] + p[4];
        b += p[2] + p[5];
      }
      // Sums of four samples: the coefficients' >>8 becomes >>10.
      u_plane[static_cast<size_t>(cy) * u_stride + cx] = static_cast<uint8_t>(((-26 * r - 86 * g + 112 * b + 512) >> 10) + 128);
      v_plane[static_cast<size_t>(cy) * v_stride + cx] = static_cast<uint8_t>(((112 * r - 102 * g - 10 * b + 512) >> 10) + 128);
    }
  }
}

void rgb_to_yuv444(const uint8_t* rgb, int width, int height, uint8_t* y_plane, int y_stride, uint8_t* u_plane,
                   int u_stride, uint8_t* v_plane, int v_stride) {
  for (int y = 0; y < height; ++y) {
    const uint8_t* p = rgb + static_cast<size_t>(y) * width * 3;
    for (int x = 0; x < width; ++x, p += 3) {
      y_plane[static_cast<size_t>(y) * y_stride + x] = static_cast<uint8_t>(((47 * p[0] + 157 * p[1] + 16 * p[2] + 128) >> 8) + 16);
      u_plane[static_cast<size_t>(y) * u_stride + x] = static_cast<uint8_t>(((-26 * p[0] - 86 * p[1] + 112 * p[2] + 128) >> 8) + 128);
      v_plane[static_cast<size_t>(y) * v_stride + x] = static_cast<uint8_t>(((112 * p[0] - 102 * p[1] - 10 * p[2] + 128) >> 8) + 128);
    }
  }
}

}  // namespace idm::media
