#include "video/frame_index.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
}

#include <algorithm>

#include "video/av_open.hpp"

namespace idm {

namespace {

// Reading packets is I/O only; even a long 4K clip scans in well under this.
constexpr std::chrono::milliseconds kScanBudget{20000};
constexpr int kMaxFrames = 10'000'000;

}  // namespace

bool build_frame_index(const std::filesystem::path& path, FrameIndex& out, std::string& error) {
  out = FrameIndex{};
  OpenedFormat opened;
  if (!open_video_format(path, kScanBudget, opened, error)) return false;
  AVFormatContext* context = opened.context.get();
  const AVStream* stream = context->streams[opened.video_stream];
  out.stream_index = opened.video_stream;
  out.codec = avcodec_get_name(stream->codecpar->codec_id);
  // Fail at the index, before any decoding is planned, so every user of the file hears it.
  if (!avcodec_find_decoder(stream->codecpar->codec_id)) {
    error = "unsupported codec " + out.codec + " (this FFmpeg has no decoder for it)";
    return false;
  }
  out.width = stream->codecpar->width;
  out.height = stream->codecpar->height;
  out.time_base_num = stream->time_base.num;
  out.time_base_den = stream->time_base.den;
  out.container_start_us = context->start_time != AV_NOPTS_VALUE ? context->start_time : 0;

  AVRational rate = stream->avg_frame_rate.num > 0 ? stream->avg_frame_rate : stream->r_frame_rate;
  if (rate.num <= 0 || rate.den <= 0) rate = AVRational{30, 1};
  const int64_t fallback_duration = std::max<int64_t>(1, av_rescale_q(1, av_inv_q(rate), stream->time_base));

  bool corrupt = false;
  int read_result = 0;
  AVPacket* packet = av_packet_alloc();
  while ((read_result = av_read_frame(context, packet)) >= 0) {
    if (packet->stream_index == out.stream_index) {
      ++out.packets_read;
      if (packet->flags & AV_PKT_FLAG_CORRUPT) corrupt = true;
      if (packet->flags & AV_PKT_FLAG_DISCARD) {
        ++out.packets_discarded;  // decoded as a reference, never shown
      } else if (packet->pts != AV_NOPTS_VALUE) {
        SourceFrame frame;
        frame.pts = packet->pts;
        frame.duration = packet->duration > 0 ? packet->duration : fallback_duration;
        frame.keyframe = (packet->flags & AV_PKT_FLAG_KEY) != 0;
        out.frames.push_back(frame);
      }
    }
    av_packet_unref(packet);
    if (out.packets_read > kMaxFrames) break;
  }
  av_packet_free(&packet);

  if (out.packets_read > kMaxFrames) {
    error = "more than " + std::to_string(kMaxFrames) + " video packets";
    return false;
  }
  if (read_result != AVERROR_EOF) {
    error = "cannot read video packets: " + av_error_text(read_result);
    return false;
  }
  if (out.frames.empty()) {
    error = "video stream has no frames";
    return false;
  }
  // A sample table that promises more frames than the file holds means the file was cut short.
  if (corrupt || (stream->nb_frames > 0 && out.packets_read < stream->nb_frames)) {
    error = "truncated video: read " + std::to_string(out.packets_read) + " of " +
            std::to_string(stream->nb_frames) + " frames";
    return false;
  }
  std::stable_sort(out.frames.begin(), out.frames.end(),
                   [](const SourceFrame& a, const SourceFrame& b) { return a.pts < b.pts; });
  for (SourceFrame& frame : out.frames) {
    frame.pts_us = av_rescale_q(frame.pts, stream->time_base, AV_TIME_BASE_Q);
    frame.duration_us = av_rescale_q(frame.duration, stream->time_base, AV_TIME_BASE_Q);
  }
  return true;
}

}  // namespace idm
