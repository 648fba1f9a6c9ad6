#pragma once
// The frame index of a video, read from packets without decoding: every shown frame of the
// best video stream in presentation order, and the container start time that is time zero
// for the grid (video-frames.md rule 1).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace idm {

struct SourceFrame {
  int64_t pts = 0;          // stream time base
  int64_t duration = 0;     // stream time base (fallback: 1 / frame rate)
  int64_t pts_us = 0;       // microseconds, absolute (not relative to the container start)
  int64_t duration_us = 0;
  bool keyframe = false;
};

struct FrameIndex {
  std::string codec;
  int width = 0;
  int height = 0;
  int stream_index = -1;
  int time_base_num = 1;             // stream time base
  int time_base_den = 1;
  int64_t container_start_us = 0;    // AVFormatContext::start_time (0 when unknown)
  int packets_read = 0;              // video packets, including discarded pre-roll
  int packets_discarded = 0;         // AV_PKT_FLAG_DISCARD (edit-list pre-roll)
  std::vector<SourceFrame> frames;   // presentation order
};

// Opens and scans the file once. Returns false with a one-line error on failure (missing,
// empty, unreadable, no video stream, absurd size, truncated, too slow).
bool build_frame_index(const std::filesystem::path& path, FrameIndex& out, std::string& error);

}  // namespace idm
