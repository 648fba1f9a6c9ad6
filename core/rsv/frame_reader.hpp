#pragma once
// Single frames of an RSV video as packed RGB24, converted like the ffmpeg CLI's
// `format=rgb24` (swscale with the stream's colour tags; untagged = BT.601 limited). Seeks
// to the keyframe before each target instead of decoding the whole video. One thread only.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "video/frame_index.hpp"
#include "video/native_decoder.hpp"

struct SwsContext;

namespace idm::rsv {

struct VideoFacts {
  int frames = 0;
  double fps = 0.0;   // from the frame durations (median)
  int width = 0;
  int height = 0;
};

class FrameReader {
 public:
  FrameReader() = default;
  FrameReader(const FrameReader&) = delete;
  FrameReader& operator=(const FrameReader&) = delete;
  ~FrameReader();

  // Indexes the file (packets only, no decoding) and opens its decoder.
  bool open(const std::filesystem::path& path, std::string& error);
  const VideoFacts& facts() const { return facts_; }
  // Decodes frame `frame_index` (presentation order, ffmpeg's select n) into rgb (W*H*3).
  bool read_rgb(int frame_index, std::vector<uint8_t>& rgb, std::string& error);

 private:
  bool convert(std::vector<uint8_t>& rgb, std::string& error);

  FrameIndex index_;
  NativeDecoder decoder_;
  VideoFacts facts_;
  SwsContext* context_ = nullptr;
  int configured_format_ = -1;
  int configured_colorspace_ = -1;
  int configured_range_ = -1;
};

// Frame count, fps and size without opening a decoder.
bool probe_video_facts(const std::filesystem::path& path, VideoFacts& facts, std::string& error);

}  // namespace idm::rsv
