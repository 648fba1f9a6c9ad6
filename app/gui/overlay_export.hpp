#pragma once
// Renders a clip's grid frames with the overlays at the video's own size, offscreen, and writes
// them as an MP4 (libavcodec H.264) or one frame as a PNG. Needs a current OpenGL 3.3 context
// (the viewer's, or the hidden window of `idmscope export`); main thread only. Uses its own
// ImGui context, so it can run between two viewer frames.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "dataset/dataset.hpp"
#include "dataset/prediction_source.hpp"
#include "overlay.hpp"
#include "scoring/profile.hpp"

namespace idm::gui {

struct ExportClip {
  const Dataset* dataset = nullptr;
  int clip_index = -1;
  std::vector<const PredictionSet*> sources;
  ScoringProfile profile;
  OverlaySettings settings;
};

struct Mp4ExportOptions {
  int crf = 18;                                    // x264 quality
  bool lossless = false;                           // crf 0 and 4:4:4 chroma: pixels survive exactly but for rounding
  std::optional<std::filesystem::path> mask_out;   // per frame, where overlays drew (multi-image PGM)
};

// Returns the number of frames written, or -1 with error.
int export_clip_mp4(const ExportClip& clip, const std::filesystem::path& out, const Mp4ExportOptions& options, std::string& error);
bool export_frame_png(const ExportClip& clip, int grid_frame, const std::filesystem::path& out, std::string& error);

// PNG bytes of packed RGBA rows (stb_image_write, in memory so the file is written atomically).
std::string encode_png(const uint8_t* rgba, int width, int height);

}  // namespace idm::gui
