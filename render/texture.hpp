#pragma once
// An RGBA texture on the GPU. GL only; main thread only (the GL context lives there).
#include <cstdint>

namespace idm::render {

class Texture {
 public:
  Texture() = default;
  Texture(const Texture&) = delete;
  Texture& operator=(const Texture&) = delete;
  ~Texture();

  // Uploads packed RGBA rows; reallocates only when the size changes.
  void upload(const uint8_t* rgba, int width, int height);
  bool empty() const { return id_ == 0 || width_ == 0; }
  unsigned id() const { return id_; }
  int width() const { return width_; }
  int height() const { return height_; }

 private:
  unsigned id_ = 0;
  int width_ = 0;
  int height_ = 0;
};

// Reads the current framebuffer into packed RGBA rows, top row first.
void read_framebuffer(int width, int height, uint8_t* rgba_out);
// A rectangle of the bound framebuffer (`framebuffer_height` tall), given with a top-left
// origin like images are, as packed RGBA rows from the top.
void read_framebuffer_rect(int x, int y, int width, int height, int framebuffer_height, uint8_t* rgba_out);

}  // namespace idm::render
