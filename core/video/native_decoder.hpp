#pragma once
// Decodes any single source frame (between grid frames too): seek to the keyframe at or
// before it, then decode forward, dropping frames before the target. Decoding forward
// within the same GOP continues without seeking. When the target never comes out (HEVC
// open-GOP leading pictures are not decodable from their own keyframe), it retries from an
// earlier keyframe. Used by one thread only (the decode service's).
#include <cstdint>
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "video/av_open.hpp"
#include "video/frame_index.hpp"

namespace idm {

class NativeDecoder {
 public:
  // Opens the file for `index` (built from the same file). `call_budget` bounds the open and
  // each decode() on its own (a hung read gives up), not the decoder's lifetime.
  bool open(const std::filesystem::path& path, const FrameIndex& index, std::string& error,
            std::chrono::milliseconds call_budget = std::chrono::milliseconds{20000});
  bool is_open() const { return static_cast<bool>(codec_); }

  // Decodes source frame `source_frame_index` into frame(). False with a one-line error
  // when it cannot be reached even from the first keyframe.
  bool decode(int source_frame_index, std::string& error);
  const AVFrame& frame() const { return *output_; }  // valid until the next decode()
  int seeks() const { return seeks_; }  // for tests and the benchmark

 private:
  bool seek_to_keyframe_before(int source_frame_index, std::string& error);
  // Decodes forward until `target_pts` comes out (true), a later frame or the end (false).
  bool decode_forward_to(int64_t target_pts, bool& reached, std::string& error);

  const FrameIndex* index_ = nullptr;
  OpenedFormat opened_;
  std::chrono::milliseconds call_budget_{20000};
  CodecPtr codec_;
  PacketPtr packet_;
  AvFramePtr frame_;
  AvFramePtr output_;  // the last target reached
  int64_t last_output_pts_ = INT64_MIN;  // newest frame that came out of the decoder
  bool at_end_ = false;
  int seeks_ = 0;
};

}  // namespace idm
