#pragma once
// An offscreen RGBA framebuffer of a fixed size, for rendering exports at the video's own size
// whatever the window is. GL only; main thread only.
#include <cstdint>
#include <string>

namespace idm::render {

class OffscreenTarget {
 public:
  OffscreenTarget() = default;
  OffscreenTarget(const OffscreenTarget&) = delete;
  OffscreenTarget& operator=(const OffscreenTarget&) = delete;
  ~OffscreenTarget();

  bool create(int width, int height, std::string& error);
  // Draws go here until unbind(); the viewport covers the whole target.
  void bind();
  void unbind();
  // Packed RGBA rows, top row first (the target must be bound).
  void read(uint8_t* rgba_out) const;
  int width() const { return width_; }
  int height() const { return height_; }

 private:
  unsigned framebuffer_ = 0;
  unsigned colour_ = 0;
  int previous_framebuffer_ = 0;
  int previous_viewport_[4] = {};
  int width_ = 0;
  int height_ = 0;
};

}  // namespace idm::render
