#pragma once
// A decoded frame on the GPU as one RGBA texture that ImGui can draw. RGBA frames are
// uploaded as they are; 8-bit 4:2:0 frames are uploaded as three R8 planes and converted
// into the RGBA texture by a shader (render-to-texture), with the same arithmetic as the
// CPU's yuv420_to_rgba. GL only; main thread only.
#include <cstdint>
#include <vector>

#include "texture.hpp"
#include "video/frame_cache.hpp"

namespace idm::render {

class FrameTexture {
 public:
  FrameTexture() = default;
  FrameTexture(const FrameTexture&) = delete;
  FrameTexture& operator=(const FrameTexture&) = delete;
  ~FrameTexture();

  // Returns false (and leaves the texture as it was) when the GPU path fails; the caller
  // then sees the previous frame, and the error is kept for the status line.
  bool upload(const CachedFrame& frame);
  const Texture& texture() const { return rgba_; }
  Texture& texture() { return rgba_; }
  const char* error() const { return error_; }

  // Reads the RGBA texture back, top row first (tests check the shader against ffmpeg).
  void read_back(std::vector<uint8_t>& rgba_out) const;

 private:
  bool ensure_program();
  void upload_plane(unsigned& id, const uint8_t* pixels, int width, int height);

  Texture rgba_;
  unsigned program_ = 0;
  unsigned vertex_array_ = 0;
  unsigned framebuffer_ = 0;
  unsigned planes_[3] = {0, 0, 0};
  int plane_sizes_[3][2] = {{0, 0}, {0, 0}, {0, 0}};
  const char* error_ = nullptr;
};

}  // namespace idm::render
