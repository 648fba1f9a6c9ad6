#include "video/frame_pixels.hpp"

extern "C" {
#include <libavutil/frame.h>
#include <libavutil/pixfmt.h>
}

#include <algorithm>
#include <cmath>
#include <cstring>

#include "video/rgba_converter.hpp"

namespace idm {

YuvMatrix yuv_matrix_for(const AVFrame& frame) {
  YuvMatrix matrix;
  // Same mapping as RgbaConverter (swscale's tables): unknown or unsupported tags are BT.601.
  switch (frame.colorspace) {
    case AVCOL_SPC_BT709: matrix.kr = 0.2126f; matrix.kb = 0.0722f; break;
    case AVCOL_SPC_FCC: matrix.kr = 0.30f; matrix.kb = 0.11f; break;
    case AVCOL_SPC_SMPTE240M: matrix.kr = 0.212f; matrix.kb = 0.087f; break;
    case AVCOL_SPC_BT2020_NCL:
    case AVCOL_SPC_BT2020_CL: matrix.kr = 0.2627f; matrix.kb = 0.0593f; break;
    default: break;
  }
  if (frame.color_range != AVCOL_RANGE_UNSPECIFIED) matrix.full_range = frame.color_range == AVCOL_RANGE_JPEG;
  else matrix.full_range = frame.format == AV_PIX_FMT_YUVJ420P;
  return matrix;
}

bool store_frame_pixels(const AVFrame& decoded, RgbaConverter& converter, CachedFrame& frame, std::string& error) {
  frame.width = decoded.width;
  frame.height = decoded.height;
  if (decoded.format == AV_PIX_FMT_YUV420P || decoded.format == AV_PIX_FMT_YUVJ420P) {
    frame.pixels = FramePixels::Yuv420;
    frame.matrix = yuv_matrix_for(decoded);
    frame.rgba.clear();
    const size_t luma_bytes = static_cast<size_t>(frame.width) * frame.height;
    const size_t chroma_bytes = static_cast<size_t>(frame.chroma_width()) * frame.chroma_height();
    frame.yuv.resize(luma_bytes + 2 * chroma_bytes);
    uint8_t* out = frame.yuv.data();
    auto copy_plane = [&](int plane, int width, int height) {
      for (int row = 0; row < height; ++row) {
        std::memcpy(out, decoded.data[plane] + static_cast<ptrdiff_t>(row) * decoded.linesize[plane], static_cast<size_t>(width));
        out += width;
      }
    };
    copy_plane(0, frame.width, frame.height);
    copy_plane(1, frame.chroma_width(), frame.chroma_height());
    copy_plane(2, frame.chroma_width(), frame.chroma_height());
    return true;
  }
  if (!converter.convert(decoded, error)) return false;
  frame.pixels = FramePixels::Rgba;
  frame.yuv.clear();
  frame.rgba.assign(converter.pixels(), converter.pixels() + static_cast<size_t>(converter.width()) * converter.height() * 4);
  return true;
}

void yuv420_to_rgba(const CachedFrame& frame, uint8_t* rgba_out) {
  const YuvMatrix& m = frame.matrix;
  const float kg = 1.0f - m.kr - m.kb;
  // Limited range: Y in 16..235, chroma in 16..240 (scaled to 0..1 and -0.5..0.5).
  const float luma_scale = m.full_range ? 1.0f / 255.0f : 1.0f / 219.0f;
  const float luma_offset = m.full_range ? 0.0f : 16.0f;
  const float chroma_scale = m.full_range ? 1.0f / 255.0f : 1.0f / 224.0f;
  auto to_byte = [](float value) { return static_cast<uint8_t>(std::clamp(std::lround(value * 255.0f), 0L, 255L)); };
  const uint8_t* y_plane = frame.y_plane();
  const uint8_t* u_plane = frame.u_plane();
  const uint8_t* v_plane = frame.v_plane();
  const int chroma_width = frame.chroma_width();
  for (int y = 0; y < frame.height; ++y) {
    for (int x = 0; x < frame.width; ++x) {
      size_t chroma = static_cast<size_t>(y / 2) * chroma_width + static_cast<size_t>(x / 2);
      float luma = (static_cast<float>(y_plane[static_cast<size_t>(y) * frame.width + x]) - luma_offset) * luma_scale;
      float cb = (static_cast<float>(u_plane[chroma]) - 128.0f) * chroma_scale;
      float cr = (static_cast<float>(v_plane[chroma]) - 128.0f) * chroma_scale;
      uint8_t* out = rgba_out + (static_cast<size_t>(y) * frame.width + x) * 4;
      out[0] = to_byte(luma + 2.0f * (1.0f - m.kr) * cr);
      out[1] = to_byte(luma - (2.0f * m.kb * (1.0f - m.kb) / kg) * cb - (2.0f * m.kr * (1.0f - m.kr) / kg) * cr);
      out[2] = to_byte(luma + 2.0f * (1.0f - m.kb) * cb);
      out[3] = 255;
    }
  }
}

const uint8_t* frame_rgba(const CachedFrame& frame, std::vector<uint8_t>& scratch) {
  if (frame.pixels == FramePixels::Rgba) return frame.rgba.data();
  scratch.resize(static_cast<size_t>(frame.width) * frame.height * 4);
  yuv420_to_rgba(frame, scratch.data());
  return scratch.data();
}

}  // namespace idm
