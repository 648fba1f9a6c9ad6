#include "texture.hpp"

#include <GL/gl.h>

#include <cstring>
#include <vector>

namespace idm::render {

Texture::~Texture() {
  if (id_) glDeleteTextures(1, &id_);
}

void Texture::upload(const uint8_t* rgba, int width, int height) {
  if (!id_) {
    glGenTextures(1, &id_);
    glBindTexture(GL_TEXTURE_2D, id_);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);  // pixels stay pixels when zoomed
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  }
  glBindTexture(GL_TEXTURE_2D, id_);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  if (width != width_ || height != height_) {
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
    width_ = width;
    height_ = height;
  } else {
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
  }
}

void read_framebuffer(int width, int height, uint8_t* rgba_out) { read_framebuffer_rect(0, 0, width, height, height, rgba_out); }

void read_framebuffer_rect(int x, int y, int width, int height, int framebuffer_height, uint8_t* rgba_out) {
  glPixelStorei(GL_PACK_ALIGNMENT, 4);
  glReadPixels(x, framebuffer_height - y - height, width, height, GL_RGBA, GL_UNSIGNED_BYTE, rgba_out);
  // GL's first row is the bottom one.
  std::vector<uint8_t> row(static_cast<size_t>(width) * 4);
  for (int r = 0; r < height / 2; ++r) {
    uint8_t* top = rgba_out + static_cast<size_t>(r) * width * 4;
    uint8_t* bottom = rgba_out + static_cast<size_t>(height - 1 - r) * width * 4;
    std::memcpy(row.data(), top, row.size());
    std::memcpy(top, bottom, row.size());
    std::memcpy(bottom, row.data(), row.size());
  }
}

}  // namespace idm::render
