#pragma once
// One decoded frame -> packed RGBA with swscale, colour matrix and range taken from the
// frame's tags exactly as ffmpeg's scale filter picks them (untagged YUV is BT.601 there).
#include <cstdint>
#include <string>
#include <vector>

struct AVFrame;
struct SwsContext;

namespace idm {

// A swscale context that converts frames like `frame` to `target_format` (an AVPixelFormat)
// the way the ffmpeg CLI's filters do: bicubic, the frame's colour matrix (untagged or unknown:
// BT.601) and its range (untagged: swscale's choice). Null with error when swscale cannot.
SwsContext* make_cli_converter(const AVFrame& frame, int target_format, std::string& error);

class RgbaConverter {
 public:
  RgbaConverter() = default;
  RgbaConverter(const RgbaConverter&) = delete;
  RgbaConverter& operator=(const RgbaConverter&) = delete;
  ~RgbaConverter();

  // Returns false with error when swscale cannot handle the frame.
  bool convert(const AVFrame& frame, std::string& error);
  const uint8_t* pixels() const { return pixels_.data(); }
  int width() const { return width_; }
  int height() const { return height_; }
  int stride_bytes() const { return width_ * 4; }

 private:
  bool configure(const AVFrame& frame, std::string& error);

  SwsContext* context_ = nullptr;
  int width_ = 0;
  int height_ = 0;
  int format_ = -1;
  int colorspace_ = -1;
  int range_ = -1;
  std::vector<uint8_t> pixels_;
};

}  // namespace idm
