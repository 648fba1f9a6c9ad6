#include "video/probe.hpp"

#include "video/frame_index.hpp"
#include "video/grid_map.hpp"

namespace idm {

bool probe_video(const std::filesystem::path& path, double grid_fps, VideoProbe& out, std::string& error) {
  FrameIndex index;
  if (!build_frame_index(path, index, error)) return false;
  out.width = index.width;
  out.height = index.height;
  out.codec = index.codec;
  out.packets = static_cast<int>(index.frames.size());
  const SourceFrame& last = index.frames.back();
  out.duration_s = static_cast<double>(last.pts_us + last.duration_us - index.container_start_us) / 1e6;
  out.grid_frames = build_grid_map(index, grid_fps).length();
  if (out.grid_frames <= 0) {
    error = empty_grid_error(index, grid_fps);
    return false;
  }
  if (out.grid_frames > 1000000) {
    error = "video gives " + std::to_string(out.grid_frames) + " grid frames";
    return false;
  }
  return true;
}

}  // namespace idm
