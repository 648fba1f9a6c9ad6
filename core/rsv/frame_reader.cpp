#include "rsv/frame_reader.hpp"

#include "video/rgba_converter.hpp"

extern "C" {
#include <libavutil/frame.h>
#include <libavutil/pixfmt.h>
#include <libswscale/swscale.h>
}

#include <algorithm>

namespace idm::rsv {

namespace {

VideoFacts facts_of(const FrameIndex& index) {
  VideoFacts facts;
  facts.frames = static_cast<int>(index.frames.size());
  facts.width = index.width;
  facts.height = index.height;
  std::vector<int64_t> durations;
  for (const SourceFrame& frame : index.frames) {
    if (frame.duration_us > 0) durations.push_back(frame.duration_us);
  }
  if (!durations.empty()) {
    std::nth_element(durations.begin(), durations.begin() + static_cast<ptrdiff_t>(durations.size() / 2), durations.end());
    facts.fps = 1e6 / static_cast<double>(durations[durations.size() / 2]);
  }
  return facts;
}

}  // namespace

bool probe_video_facts(const std::filesystem::path& path, VideoFacts& facts, std::string& error) {
  FrameIndex index;
  if (!build_frame_index(path, index, error)) return false;
  facts = facts_of(index);
  return true;
}

FrameReader::~FrameReader() { sws_freeContext(context_); }

bool FrameReader::open(const std::filesystem::path& path, std::string& error) {
  if (!build_frame_index(path, index_, error)) return false;
  facts_ = facts_of(index_);
  return decoder_.open(path, index_, error);
}

bool FrameReader::read_rgb(int frame_index, std::vector<uint8_t>& rgb, std::string& error) {
  if (frame_index < 0 || frame_index >= facts_.frames) {
    error = "frame " + std::to_string(frame_index) + " is outside the video's " + std::to_string(facts_.frames) + " frames";
    return false;
  }
  if (!decoder_.decode(frame_index, error)) return false;
  return convert(rgb, error);
}

bool FrameReader::convert(std::vector<uint8_t>& rgb, std::string& error) {
  const AVFrame& frame = decoder_.frame();
  if (!context_ || frame.format != configured_format_ || frame.colorspace != configured_colorspace_ ||
      frame.color_range != configured_range_ || frame.width != facts_.width || frame.height != facts_.height) {
    sws_freeContext(context_);
    context_ = make_cli_converter(frame, AV_PIX_FMT_RGB24, error);
    if (!context_) return false;
    configured_format_ = frame.format;
    configured_colorspace_ = frame.colorspace;
    configured_range_ = frame.color_range;
    facts_.width = frame.width;
    facts_.height = frame.height;
  }
  rgb.resize(static_cast<size_t>(frame.width) * frame.height * 3);
  uint8_t* destination[4] = {rgb.data(), nullptr, nullptr, nullptr};
  int stride[4] = {frame.width * 3, 0, 0, 0};
  int rows = sws_scale(context_, frame.data, frame.linesize, 0, frame.height, destination, stride);
  if (rows != frame.height) {
    error = "swscale converted " + std::to_string(rows) + " of " + std::to_string(frame.height) + " rows";
    return false;
  }
  return true;
}

}  // namespace idm::rsv
