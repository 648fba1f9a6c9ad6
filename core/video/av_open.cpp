#include "video/av_open.hpp"

extern "C" {
#include <libavformat/avformat.h>
}

namespace idm {

namespace {

// Frames larger than this are "absurd": a real recording is at most 8K.
constexpr int kMaxSide = 16384;
constexpr int64_t kMaxPixels = int64_t{8192} * 8192;

int deadline_passed(void* opaque) {
  auto* deadline = static_cast<std::chrono::steady_clock::time_point*>(opaque);
  return std::chrono::steady_clock::now() > *deadline ? 1 : 0;
}

}  // namespace

void FormatCloser::operator()(AVFormatContext* context) const { avformat_close_input(&context); }

std::string av_error_text(int code) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(code, text, sizeof text);
  return text;
}

bool open_video_format(const std::filesystem::path& path, std::chrono::milliseconds budget, OpenedFormat& out,
                       std::string& error) {
  std::error_code code;
  if (!std::filesystem::is_regular_file(path, code)) {
    error = "video file not found";
    return false;
  }
  if (std::filesystem::file_size(path, code) == 0) {
    error = "video file is empty";
    return false;
  }
  out.deadline = std::make_unique<std::chrono::steady_clock::time_point>(std::chrono::steady_clock::now() + budget);
  AVFormatContext* raw = avformat_alloc_context();
  if (!raw) {
    error = "out of memory";
    return false;
  }
  raw->interrupt_callback.callback = deadline_passed;
  raw->interrupt_callback.opaque = out.deadline.get();
  // avformat_open_input frees the context itself on failure.
  if (int result = avformat_open_input(&raw, path.c_str(), nullptr, nullptr); result < 0) {
    error = "cannot open video: " + av_error_text(result);
    return false;
  }
  out.context.reset(raw);
  if (int result = avformat_find_stream_info(raw, nullptr); result < 0) {
    error = "cannot read stream info: " + av_error_text(result);
    return false;
  }
  if (deadline_passed(out.deadline.get())) {
    error = "gave up opening the video after " + std::to_string(budget.count()) + " ms";
    return false;
  }
  out.video_stream = av_find_best_stream(raw, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  if (out.video_stream < 0) {
    error = "no video stream";
    return false;
  }
  const AVCodecParameters* codecpar = raw->streams[out.video_stream]->codecpar;
  int width = codecpar->width, height = codecpar->height;
  if (width <= 0 || height <= 0 || width > kMaxSide || height > kMaxSide || int64_t{width} * height > kMaxPixels) {
    error = "video size " + std::to_string(width) + "x" + std::to_string(height) + " is not usable";
    return false;
  }
  return true;
}

}  // namespace idm
