#include "video/native_decoder.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
}

#include <algorithm>

namespace idm {

namespace {

constexpr int kKeyframeRetries = 3;
// Decoding this many frames forward costs less than a seek plus the GOP's first frames.
constexpr int kContinueFrames = 12;

// The index of the last keyframe at or before `source`, counting back `extra` keyframes more.
int keyframe_before(const FrameIndex& index, int source, int extra) {
  for (int i = source; i >= 0; --i) {
    if (index.frames[static_cast<size_t>(i)].keyframe && extra-- == 0) return i;
  }
  return 0;
}

}  // namespace

bool NativeDecoder::open(const std::filesystem::path& path, const FrameIndex& index, std::string& error,
                         std::chrono::milliseconds call_budget) {
  index_ = &index;
  codec_.reset();
  call_budget_ = call_budget;
  if (!open_video_format(path, call_budget_, opened_, error)) return false;
  if (opened_.video_stream != index.stream_index) {
    error = "the file changed since it was indexed";
    return false;
  }
  if (!open_video_decoder(opened_, codec_, error)) return false;
  packet_.reset(av_packet_alloc());
  frame_.reset(av_frame_alloc());
  output_.reset(av_frame_alloc());
  last_output_pts_ = INT64_MIN;
  at_end_ = false;
  seeks_ = 0;
  return true;
}

bool NativeDecoder::seek_to_keyframe_before(int source_frame_index, std::string& error) {
  int64_t pts = index_->frames[static_cast<size_t>(source_frame_index)].pts;
  if (int result = av_seek_frame(opened_.context.get(), opened_.video_stream, pts, AVSEEK_FLAG_BACKWARD); result < 0) {
    error = "seek failed: " + av_error_text(result);
    return false;
  }
  avcodec_flush_buffers(codec_.get());
  last_output_pts_ = INT64_MIN;
  at_end_ = false;
  ++seeks_;
  return true;
}

bool NativeDecoder::decode_forward_to(int64_t target_pts, bool& reached, std::string& error) {
  reached = false;
  auto drain = [&]() -> int {  // 1: reached, 0: need more input, -1: passed the target or error
    while (true) {
      int result = avcodec_receive_frame(codec_.get(), frame_.get());
      if (result == AVERROR(EAGAIN) || result == AVERROR_EOF) return 0;
      if (result < 0) {
        error = "decode failed: " + av_error_text(result);
        return -1;
      }
      int64_t pts = frame_->best_effort_timestamp != AV_NOPTS_VALUE ? frame_->best_effort_timestamp : frame_->pts;
      last_output_pts_ = pts;
      if (pts == target_pts) {
        av_frame_unref(output_.get());
        av_frame_move_ref(output_.get(), frame_.get());  // kept until the next decode()
        reached = true;
        return 1;
      }
      av_frame_unref(frame_.get());
      if (pts > target_pts) return -1;  // the target was skipped: not decodable from here
    }
  };
  while (!at_end_) {
    int read = av_read_frame(opened_.context.get(), packet_.get());
    if (read < 0) {
      at_end_ = true;
      avcodec_send_packet(codec_.get(), nullptr);  // flush reordered frames
      break;
    }
    if (packet_->stream_index == opened_.video_stream) {
      int sent = avcodec_send_packet(codec_.get(), packet_.get());
      if (sent < 0 && sent != AVERROR(EAGAIN) && sent != AVERROR_INVALIDDATA) {
        av_packet_unref(packet_.get());
        error = "decode failed: " + av_error_text(sent);
        return false;
      }
    }
    av_packet_unref(packet_.get());
    int state = drain();
    if (state != 0) return error.empty();
  }
  int state = drain();
  return state >= 0 || error.empty();
}

bool NativeDecoder::decode(int source_frame_index, std::string& error) {
  if (!is_open() || source_frame_index < 0 || static_cast<size_t>(source_frame_index) >= index_->frames.size()) {
    error = "no such source frame " + std::to_string(source_frame_index);
    return false;
  }
  // The open's deadline is re-armed per call: a decoder kept open (a viewer, a model reading a
  // whole video) would otherwise have every read refused once the first budget ran out.
  *opened_.deadline = std::chrono::steady_clock::now() + call_budget_;
  int64_t target_pts = index_->frames[static_cast<size_t>(source_frame_index)].pts;
  int keyframe = keyframe_before(*index_, source_frame_index, 0);
  // Continue forward when the decoder already stands before the target, inside its GOP or
  // close enough that decoding on is cheaper than a seek (stepping across a GOP boundary).
  bool can_continue = false;
  // After the last packet the decoder is flushed but may still hold the final frames.
  if (last_output_pts_ != INT64_MIN && last_output_pts_ < target_pts) {
    auto at = std::lower_bound(index_->frames.begin(), index_->frames.end(), last_output_pts_,
                               [](const SourceFrame& frame, int64_t pts) { return frame.pts < pts; });
    int frames_ahead = source_frame_index - static_cast<int>(at - index_->frames.begin());
    can_continue = last_output_pts_ >= index_->frames[static_cast<size_t>(keyframe)].pts || frames_ahead <= kContinueFrames;
  }
  for (int attempt = 0; attempt <= kKeyframeRetries; ++attempt) {
    if (!(attempt == 0 && can_continue)) {
      int start = attempt == kKeyframeRetries ? 0 : keyframe_before(*index_, source_frame_index, attempt);
      if (!seek_to_keyframe_before(start, error)) return false;
    }
    bool reached = false;
    error.clear();
    if (!decode_forward_to(target_pts, reached, error)) return false;
    if (reached) return true;
  }
  error = "source frame " + std::to_string(source_frame_index) + " cannot be decoded, even from the first keyframe";
  return false;
}

}  // namespace idm
