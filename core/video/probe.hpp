#pragma once
// A quick look at a video without decoding: size, and the grid length the fps filter gives
// (video-frames.md rules 1 and 4: time zero is the container start over all streams, output
// ends at the slot of the last frame's end). The full frame index lives in the video engine.
#include <filesystem>
#include <string>

namespace idm {

struct VideoProbe {
  int width = 0;
  int height = 0;
  int grid_frames = 0;        // at the requested grid fps
  double duration_s = 0.0;    // last frame end - container start
  int packets = 0;
  std::string codec;
};

// Returns false with error ("no video stream", "cannot open: ...") on failure.
bool probe_video(const std::filesystem::path& path, double grid_fps, VideoProbe& out, std::string& error);

}  // namespace idm
