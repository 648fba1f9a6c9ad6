#include "video/rgba_converter.hpp"

extern "C" {
#include <libavutil/frame.h>
#include <libavutil/pixdesc.h>
#include <libavutil/pixfmt.h>
#include <libswscale/swscale.h>
}

namespace idm {

namespace {

// ffmpeg's scale filter maps the frame's matrix tag to swscale coefficients and treats
// unknown tags as BT.601 (bt470bg); we follow it so pixels match the CLI's PNGs.
const int* coefficients_for(int colorspace) {
  if (colorspace < 1 || colorspace > 10 || colorspace == AVCOL_SPC_YCGCO) colorspace = AVCOL_SPC_BT470BG;
  return sws_getCoefficients(colorspace);
}

}  // namespace

SwsContext* make_cli_converter(const AVFrame& frame, int target_format, std::string& error) {
  // SWS_BICUBIC: the ffmpeg CLI's default sws_flags for filter graphs.
  SwsContext* context = sws_getContext(frame.width, frame.height, static_cast<AVPixelFormat>(frame.format), frame.width,
                                       frame.height, static_cast<AVPixelFormat>(target_format), SWS_BICUBIC, nullptr, nullptr, nullptr);
  if (!context) {
    error = std::string("cannot convert pixel format ") + std::to_string(frame.format) + " to " +
            av_get_pix_fmt_name(static_cast<AVPixelFormat>(target_format));
    return nullptr;
  }
  int* inv_table = nullptr;
  int* table = nullptr;
  int src_full = 0, dst_full = 0, brightness = 0, contrast = 0, saturation = 0;
  if (sws_getColorspaceDetails(context, &inv_table, &src_full, &table, &dst_full, &brightness, &contrast, &saturation) >= 0) {
    // An untagged range keeps swscale's choice (limited, or full for yuvj* formats).
    if (frame.color_range != AVCOL_RANGE_UNSPECIFIED) src_full = frame.color_range == AVCOL_RANGE_JPEG;
    sws_setColorspaceDetails(context, coefficients_for(frame.colorspace), src_full, table, dst_full, brightness, contrast,
                             saturation);
  }
  return context;
}

RgbaConverter::~RgbaConverter() { sws_freeContext(context_); }

bool RgbaConverter::configure(const AVFrame& frame, std::string& error) {
  sws_freeContext(context_);
  context_ = make_cli_converter(frame, AV_PIX_FMT_RGBA, error);
  if (!context_) return false;
  width_ = frame.width;
  height_ = frame.height;
  format_ = frame.format;
  colorspace_ = frame.colorspace;
  range_ = frame.color_range;
  pixels_.assign(static_cast<size_t>(width_) * static_cast<size_t>(height_) * 4, 0);
  return true;
}

bool RgbaConverter::convert(const AVFrame& frame, std::string& error) {
  if (!context_ || frame.width != width_ || frame.height != height_ || frame.format != format_ ||
      frame.colorspace != colorspace_ || frame.color_range != range_) {
    if (!configure(frame, error)) return false;
  }
  uint8_t* destination[4] = {pixels_.data(), nullptr, nullptr, nullptr};
  int destination_stride[4] = {stride_bytes(), 0, 0, 0};
  int rows = sws_scale(context_, frame.data, frame.linesize, 0, frame.height, destination, destination_stride);
  if (rows != frame.height) {
    error = "swscale converted " + std::to_string(rows) + " of " + std::to_string(frame.height) + " rows";
    return false;
  }
  return true;
}

}  // namespace idm
