#pragma once
// Overlays drawn on the video: cursor displacement arrows (GT and each source, chained from an
// anchor), the current frame's angle error and magnitude ratio, a fading trail, a scroll gauge
// and keycast badges. Drawn into any ImDrawList through a video->screen transform, so the
// viewer (zoomed, panned) and the offscreen export (1:1) draw exactly the same thing.
#include <imgui.h>

#include <string>
#include <vector>

#include "analysis/clip_motion.hpp"
#include "clip_motions.hpp"
#include "analysis/overlay_geometry.hpp"
#include "dataset/dataset.hpp"
#include "dataset/prediction_source.hpp"
#include "scoring/evaluate.hpp"

namespace idm::gui {

// The View menu's switches and the anchor; main thread only.
struct OverlaySettings {
  bool gt_arrows = true;
  bool source_arrows = true;
  bool whole_chain = false;   // the clip's full chain, faint (off by default: it covers the frame)
  bool trail = true;          // the last trail_frames arrows, fading
  int trail_frames = 5;
  bool highlight = true;      // the current frame's arrows, thick, with angle error and ratio
  bool scroll_gauge = true;
  bool keycast = true;
  bool anchor_set = false;    // false: the frame centre
  double anchor_x_px = 0.0;   // video pixels
  double anchor_y_px = 0.0;
  bool anchor_follows_frame = false;  // true: the chain passes the anchor at the current frame
  struct SavedAnchor {
    bool set = false;
    double x_px = 0.0, y_px = 0.0;
  } anchor_before_click;      // what the last single click replaced (a double-click restores it)
};

// Everything the overlays need for one clip at one frame.
struct OverlayScene {
  int grid_frame = 0;
  int grid_frames = 25;
  int video_width_px = 1728;
  int video_height_px = 1080;
  analysis::ClipMotion gt;
  std::vector<std::string> source_names;
  std::vector<analysis::ClipMotion> sources;
  const ClipEvaluation* gt_only = nullptr;         // GT outcomes without predictions
  std::vector<const ClipEvaluation*> evaluations;  // per source
};

// The motions come from `motions` when given (computed once per clip and source set: a source
// may hold a million predictions), else they are computed here.
OverlayScene make_overlay_scene(const Dataset& dataset, int clip_index, const std::vector<const PredictionSet*>& sources,
                                const std::vector<const ClipEvaluation*>& evaluations, const ClipEvaluation* gt_only, int grid_frame,
                                int grid_frames, double fps, const ClipMotions* motions = nullptr);

// Colours: GT is white, sources take a fixed palette in load order.
ImU32 gt_colour(int alpha = 255);
ImU32 source_colour(size_t source, int alpha = 255);

// Draws every switched-on overlay; `clip_min`/`clip_max` bound the drawing (the video panel).
void draw_overlays(ImDrawList* draw, const OverlayScene& scene, const OverlaySettings& settings, const analysis::VideoToScreen& to_screen,
                   ImVec2 clip_min, ImVec2 clip_max);

}  // namespace idm::gui
