#include "video/grid_decoder.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
}

#include <algorithm>
#include <memory>
#include <vector>

#include "video/av_open.hpp"
#include "video/rgba_converter.hpp"

namespace idm {

namespace {

// Generous: a whole 60 fps 4K clip decodes in seconds; this only stops pathological files.
constexpr std::chrono::milliseconds kDecodeBudget{120000};

// Walks the decoder's output against the grid map and delivers each needed frame.
class GridDelivery {
 public:
  GridDelivery(const FrameIndex& index, const GridMap& map, const GridFrameDecodedSink& sink)
      : index_(index), map_(map), sink_(sink) {
    pts_.reserve(index.frames.size());
    for (const SourceFrame& frame : index.frames) pts_.push_back(frame.pts);
  }

  bool done() const { return stopped_ || next_grid_ >= map_.length(); }
  int delivered() const { return next_grid_; }

  // Returns false when the sink reports an error.
  bool on_frame(const AVFrame& frame, std::string& error) {
    int64_t pts = frame.best_effort_timestamp != AV_NOPTS_VALUE ? frame.best_effort_timestamp : frame.pts;
    auto found = std::lower_bound(pts_.begin(), pts_.end(), pts);
    if (found == pts_.end() || *found != pts) return true;  // pre-roll or a frame the index never listed
    int source = static_cast<int>(found - pts_.begin());
    if (done() || map_.source_frame_index[static_cast<size_t>(next_grid_)] != source) return true;
    GridFrameDecoded out;
    out.source_frame_index = source;
    out.pts_us = index_.frames[static_cast<size_t>(source)].pts_us;
    out.frame = &frame;
    out.first_of_source = true;
    while (!done() && map_.source_frame_index[static_cast<size_t>(next_grid_)] == source) {
      out.grid_frame = next_grid_++;
      GridSinkResult result = sink_(out, error);
      if (result == GridSinkResult::Failed) return false;
      if (result == GridSinkResult::Stop) stopped_ = true;
      out.first_of_source = false;
    }
    return true;
  }

 private:
  const FrameIndex& index_;
  const GridMap& map_;
  const GridFrameDecodedSink& sink_;
  std::vector<int64_t> pts_;
  int next_grid_ = 0;
  bool stopped_ = false;
};

// Drains every frame the decoder has ready.
bool receive_all(AVCodecContext* codec, AVFrame* frame, GridDelivery& delivery, std::string& error) {
  while (!delivery.done()) {
    int result = avcodec_receive_frame(codec, frame);
    if (result == AVERROR(EAGAIN) || result == AVERROR_EOF) return true;
    if (result < 0) {
      error = "decode failed: " + av_error_text(result);
      return false;
    }
    bool ok = delivery.on_frame(*frame, error);
    av_frame_unref(frame);
    if (!ok) return false;
  }
  return true;
}

}  // namespace

bool decode_grid_rgba(const std::filesystem::path& path, const FrameIndex& index, const GridMap& map,
                      const GridFrameSink& sink, std::string& error) {
  RgbaConverter converter;
  GridFrameRgba out;
  return decode_grid_frames(path, index, map, [&](const GridFrameDecoded& decoded, std::string& sink_error) {
    if (decoded.first_of_source) {  // a source frame shown by several grid frames converts once
      if (!converter.convert(*decoded.frame, sink_error)) return GridSinkResult::Failed;
      out.source_frame_index = decoded.source_frame_index;
      out.pts_us = decoded.pts_us;
      out.width = converter.width();
      out.height = converter.height();
      out.stride_bytes = converter.stride_bytes();
      out.rgba = converter.pixels();
    }
    out.grid_frame = decoded.grid_frame;
    return sink(out) ? GridSinkResult::Continue : GridSinkResult::Stop;
  }, error);
}

bool decode_grid_frames(const std::filesystem::path& path, const FrameIndex& index, const GridMap& map,
                        const GridFrameDecodedSink& sink, std::string& error) {
  if (map.length() == 0) return true;
  OpenedFormat opened;
  if (!open_video_format(path, kDecodeBudget, opened, error)) return false;
  AVFormatContext* format = opened.context.get();
  if (opened.video_stream != index.stream_index) {
    error = "the file changed since it was indexed";
    return false;
  }
  CodecPtr codec;
  if (!open_video_decoder(opened, codec, error)) return false;
  PacketPtr packet(av_packet_alloc());
  AvFramePtr frame(av_frame_alloc());
  if (!packet || !frame) {
    error = "out of memory";
    return false;
  }

  GridDelivery delivery(index, map, sink);
  int read_result = 0;
  while (!delivery.done() && (read_result = av_read_frame(format, packet.get())) >= 0) {
    if (packet->stream_index == opened.video_stream) {
      int result = avcodec_send_packet(codec.get(), packet.get());
      // A damaged packet is skipped, as the ffmpeg CLI does; the frame check below catches loss.
      if (result < 0 && result != AVERROR(EAGAIN) && result != AVERROR_INVALIDDATA) {
        av_packet_unref(packet.get());
        error = "decode failed: " + av_error_text(result);
        return false;
      }
      if (!receive_all(codec.get(), frame.get(), delivery, error)) {
        av_packet_unref(packet.get());
        return false;
      }
    }
    av_packet_unref(packet.get());
  }
  if (!delivery.done()) {
    if (read_result < 0 && read_result != AVERROR_EOF) {
      error = "cannot read video packets: " + av_error_text(read_result);
      return false;
    }
    avcodec_send_packet(codec.get(), nullptr);  // flush the frames held for reordering
    if (!receive_all(codec.get(), frame.get(), delivery, error)) return false;
  }
  if (!delivery.done()) {
    error = "decoded only " + std::to_string(delivery.delivered()) + " of " + std::to_string(map.length()) +
            " grid frames";
    return false;
  }
  return true;
}

}  // namespace idm
