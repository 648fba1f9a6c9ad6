#pragma once
// An RGB24 frame buffer and the rectangles and colours drawn on it: what the sample generator,
// the model-input frame labels and the exports share.
#include <cstdint>
#include <vector>

namespace idm::media {

struct Rect {
  int x = 0, y = 0, w = 0, h = 0;
  bool contains(double px, double py) const { return px >= x && px < x + w && py >= y && py < y + h; }
  double center_x() const { return x + w / 2.0; }
  double center_y() const { return y + h / 2.0; }
};

struct Rgb {
  uint8_t r = 0, g = 0, b = 0;
};

// An RGB24 frame buffer.
struct Canvas {
  int width_px = 0, height_px = 0;
  std::vector<uint8_t> rgb;
  void fill(const Rect& rect, Rgb colour);
  void blend(int x, int y, Rgb colour, uint8_t alpha);
};

}  // namespace idm::media
