#include "overlay_export.hpp"

#include <stb_image_write.h>

#include "io/atomic_write.hpp"
#include "mp4_export_job.hpp"
#include "overlay_renderer.hpp"
#include "video/grid_decoder.hpp"

namespace idm::gui {

namespace {

void append_bytes(void* context, void* data, int size) { static_cast<std::string*>(context)->append(static_cast<const char*>(data), static_cast<size_t>(size)); }

}  // namespace

std::string encode_png(const uint8_t* rgba, int width, int height) {
  std::string out;
  stbi_write_png_to_func(append_bytes, &out, width, height, 4, rgba, width * 4);
  return out;
}

int export_clip_mp4(const ExportClip& request, const std::filesystem::path& out, const Mp4ExportOptions& options, std::string& error) {
  Mp4ExportJob job;  // the viewer's job, stepped here until it ends
  job.start(request, out, options);
  return job.run_to_end(error);
}

bool export_frame_png(const ExportClip& request, int grid_frame, const std::filesystem::path& out, std::string& error) {
  PreparedClip prepared;
  if (!prepare_export_clip(request, prepared, error)) return false;
  if (grid_frame < 0 || grid_frame >= prepared.map.length()) {
    error = "--frame " + std::to_string(grid_frame) + " is outside the clip's grid (0.." + std::to_string(prepared.map.length() - 1) + ")";
    return false;
  }
  int width = prepared.index.width, height = prepared.index.height;
  std::vector<uint8_t> packed;
  GridFrameSink sink = [&](const GridFrameRgba& frame) {
    if (frame.grid_frame != grid_frame) return true;
    packed.resize(static_cast<size_t>(width) * height * 4);
    for (int y = 0; y < height; ++y) {
      std::copy_n(frame.rgba + static_cast<size_t>(y) * frame.stride_bytes, static_cast<size_t>(width) * 4, packed.data() + static_cast<size_t>(y) * width * 4);
    }
    return false;  // got it
  };
  if (!decode_grid_rgba(prepared.clip->video_path, prepared.index, prepared.map, sink, error)) return false;
  if (packed.empty()) {
    error = "grid frame " + std::to_string(grid_frame) + " was not decoded";
    return false;
  }
  OverlayRenderer renderer;
  if (!renderer.start(width, height, error)) return false;
  OverlayLayer layer;  // the same layer + compositing as the MP4, so both exports agree
  renderer.render_layer(export_scene(request, prepared, grid_frame), request.settings, layer);
  std::vector<uint8_t> rgba;
  composite_layer(packed.data(), width, height, layer, 4, rgba);
  return write_file_atomically(out, encode_png(rgba.data(), width, height), error);
}

}  // namespace idm::gui
