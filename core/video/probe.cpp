#include "video/probe.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
}

#include <cmath>
#include <limits>
#include <memory>

namespace idm {

namespace {

std::string av_error_text(int code) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(code, text, sizeof text);
  return text;
}

struct FormatCloser {
  void operator()(AVFormatContext* context) const { avformat_close_input(&context); }
};

}  // namespace

bool probe_video(const std::filesystem::path& path, double grid_fps, VideoProbe& out, std::string& error) {
  std::error_code code;
  if (!std::filesystem::is_regular_file(path, code)) {
    error = "video file not found";
    return false;
  }
  if (std::filesystem::file_size(path, code) == 0) {
    error = "video file is empty";
    return false;
  }
  AVFormatContext* raw = nullptr;
  if (int result = avformat_open_input(&raw, path.c_str(), nullptr, nullptr); result < 0) {
    error = "cannot open video: " + av_error_text(result);
    return false;
  }
  std::unique_ptr<AVFormatContext, FormatCloser> context(raw);
  if (int result = avformat_find_stream_info(context.get(), nullptr); result < 0) {
    error = "cannot read stream info: " + av_error_text(result);
    return false;
  }
  int stream_index = av_find_best_stream(context.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  if (stream_index < 0) {
    error = "no video stream";
    return false;
  }
  AVStream* stream = context->streams[stream_index];
  out.width = stream->codecpar->width;
  out.height = stream->codecpar->height;
  out.codec = avcodec_get_name(stream->codecpar->codec_id);
  if (out.width <= 0 || out.height <= 0 || out.width > 16384 || out.height > 16384) {
    error = "video size " + std::to_string(out.width) + "x" + std::to_string(out.height) + " is not usable";
    return false;
  }
  double start_s = context->start_time != AV_NOPTS_VALUE ? static_cast<double>(context->start_time) / AV_TIME_BASE : 0.0;
  double time_base = av_q2d(stream->time_base);
  AVRational rate = stream->avg_frame_rate.num > 0 ? stream->avg_frame_rate : stream->r_frame_rate;
  double fallback_duration_s = rate.num > 0 ? av_q2d(av_inv_q(rate)) : 1.0 / 30.0;
  double end_s = -std::numeric_limits<double>::infinity();
  AVPacket* packet = av_packet_alloc();
  while (av_read_frame(context.get(), packet) >= 0) {
    if (packet->stream_index == stream_index && packet->pts != AV_NOPTS_VALUE && !(packet->flags & AV_PKT_FLAG_DISCARD)) {
      double duration_s = packet->duration > 0 ? static_cast<double>(packet->duration) * time_base : fallback_duration_s;
      end_s = std::max(end_s, static_cast<double>(packet->pts) * time_base + duration_s);
      ++out.packets;
    }
    av_packet_unref(packet);
  }
  av_packet_free(&packet);
  if (out.packets == 0) {
    error = "video stream has no frames";
    return false;
  }
  out.duration_s = end_s - start_s;
  // round_half_up((end - start) * fps), the slot where the fps filter stops.
  out.grid_frames = static_cast<int>(std::floor(out.duration_s * grid_fps + 0.5));
  if (out.grid_frames <= 0 || out.grid_frames > 1000000) {
    error = "video gives " + std::to_string(out.grid_frames) + " grid frames";
    return false;
  }
  return true;
}

}  // namespace idm
