#pragma once
// Grid frame -> source frame, by the rule the ffmpeg CLI's `-vf fps=N` follows
// (video-frames.md): time zero is the container start, slot = round((pts - start) * fps),
// grid frame k shows the last frame whose slot <= k, and the grid ends at the slot of the
// last frame's end. The ffmpeg CLI fills slots before the first output with that first output.
#include <cstdint>
#include <string>
#include <vector>

#include "video/frame_index.hpp"

namespace idm {

struct GridMap {
  int fps_num = 5;
  int fps_den = 1;
  int64_t first_slot = 0;                 // slot of the first source frame
  std::vector<int> source_frame_index;    // one per grid frame, into FrameIndex::frames
  int length() const { return static_cast<int>(source_frame_index.size()); }
};

// fps must be > 0. Returns an empty map when the video ends before the first slot.
GridMap build_grid_map(const FrameIndex& index, double fps);

// The error every consumer reports for a video too short to give one grid frame (a 1-frame
// clip): "the video has 1 frame (0.033 s), fewer than one grid frame at 5 fps".
std::string empty_grid_error(const FrameIndex& index, double fps);

}  // namespace idm
