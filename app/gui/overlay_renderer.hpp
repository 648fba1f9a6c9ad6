#pragma once
// The pieces an overlay export is made of: a clip prepared for it (frame index, grid map, its
// evaluations), a renderer that draws the overlays alone at the video's own size, offscreen,
// with its own ImGui context, and the CPU compositing of that layer onto a video frame. Only
// the overlays' bounding box goes through GL, so a frame costs the main thread little even
// under software GL. The renderer needs a current OpenGL 3.3 context and runs on the main
// thread; preparing and compositing are GL-free and may run on any thread.
#include <cstdint>
#include <string>
#include <vector>

#include "overlay_export.hpp"
#include "offscreen.hpp"
#include "video/frame_index.hpp"
#include "video/grid_map.hpp"

struct ImGuiContext;

namespace idm::gui {

// What the overlays drew on one frame: premultiplied colour and coverage (ImGui blends
// "over" onto a transparent target), for the rectangle they touched.
struct OverlayLayer {
  int x = 0, y = 0, width = 0, height = 0;  // video pixels, top-left origin; 0x0: nothing drawn
  std::vector<uint8_t> rgba;                // width * height * 4, rows from the top
};

class OverlayRenderer {
 public:
  OverlayRenderer();
  ~OverlayRenderer();
  OverlayRenderer(const OverlayRenderer&) = delete;
  OverlayRenderer& operator=(const OverlayRenderer&) = delete;

  bool start(int width, int height, std::string& error);
  // The overlays of one frame. The caller's ImGui context is current again afterwards.
  void render_layer(const OverlayScene& scene, const OverlaySettings& settings, OverlayLayer& out);

 private:
  ImGuiContext* previous_ = nullptr;
  ImGuiContext* context_ = nullptr;
  bool backend_ready_ = false;
  render::OffscreenTarget target_;
};

// video (packed RGBA, width x height) with the layer on top, as packed RGB or RGBA (alpha 255).
// With `mask_out`, also a PGM image: 255 where the layer has any coverage.
void composite_layer(const uint8_t* video_rgba, int width, int height, const OverlayLayer& layer, int channels_out,
                     std::vector<uint8_t>& out, std::string* mask_out = nullptr);

struct PreparedClip {
  const DatasetClip* clip = nullptr;
  FrameIndex index;
  GridMap map;
  std::vector<ClipEvaluation> evaluations;
  ClipEvaluation gt_only;
  ClipMotions motions;  // once per export, not per frame
};

// Indexes the clip's video and evaluates GT and every source on it (names the file on error).
bool prepare_export_clip(const ExportClip& request, PreparedClip& out, std::string& error);
OverlayScene export_scene(const ExportClip& request, const PreparedClip& prepared, int grid_frame);

}  // namespace idm::gui
