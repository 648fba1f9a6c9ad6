#include "video/av_open.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
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
void CodecCloser::operator()(AVCodecContext* context) const { avcodec_free_context(&context); }
void PacketCloser::operator()(AVPacket* packet) const { av_packet_free(&packet); }
void FrameCloser::operator()(AVFrame* frame) const { av_frame_free(&frame); }

bool open_video_decoder(const OpenedFormat& opened, CodecPtr& out, std::string& error) {
  AVFormatContext* format = opened.context.get();
  for (unsigned i = 0; i < format->nb_streams; ++i) {
    if (static_cast<int>(i) != opened.video_stream) format->streams[i]->discard = AVDISCARD_ALL;
  }
  const AVStream* stream = format->streams[opened.video_stream];
  const AVCodec* decoder = avcodec_find_decoder(stream->codecpar->codec_id);
  if (!decoder) {
    error = std::string("unsupported codec ") + avcodec_get_name(stream->codecpar->codec_id);
    return false;
  }
  CodecPtr codec(avcodec_alloc_context3(decoder));
  if (!codec) {
    error = "out of memory";
    return false;
  }
  if (int result = avcodec_parameters_to_context(codec.get(), stream->codecpar); result < 0) {
    error = "bad codec parameters: " + av_error_text(result);
    return false;
  }
  codec->pkt_timebase = stream->time_base;
  codec->thread_count = 0;  // auto, like the ffmpeg CLI
  if (int result = avcodec_open2(codec.get(), decoder, nullptr); result < 0) {
    error = "cannot open decoder: " + av_error_text(result);
    return false;
  }
  out = std::move(codec);
  return true;
}

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
