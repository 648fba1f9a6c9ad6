#pragma once
// Geometry of the cursor displacement overlay, as pure functions so tests can check it without
// a window: 0-1000 movement vectors -> video pixels -> a chain of arrows -> screen pixels.
#include <optional>
#include <vector>

namespace idm::analysis {

struct Point {
  double x = 0.0;
  double y = 0.0;
};

// One grid frame's movement on the 0-1000 scale (spec §8: nx = dx / W * 1000).
struct FrameVector {
  int frame = 0;
  double dx = 0.0;
  double dy = 0.0;
};

// 0-1000 scale -> video pixels (the inverse of spec §8's normalisation).
Point movement_to_video_px(double dx_1000, double dy_1000, int video_width_px, int video_height_px);

// Where the video's pixel (0,0) lands on screen and how many screen pixels one video pixel
// covers. The viewer fits the video in its panel, multiplies by the user's zoom, centres it
// and adds the pan; the export renders at scale 1 at the origin.
struct VideoToScreen {
  double origin_x = 0.0;
  double origin_y = 0.0;
  double scale = 1.0;
  Point apply(Point video_px) const { return {origin_x + video_px.x * scale, origin_y + video_px.y * scale}; }
  Point invert(Point screen) const { return {(screen.x - origin_x) / scale, (screen.y - origin_y) / scale}; }
};

VideoToScreen fit_video_to_panel(double panel_x, double panel_y, double panel_width, double panel_height, int video_width_px,
                                 int video_height_px, double zoom, double pan_x, double pan_y);

// One arrow of a chain, in video pixels.
struct ArrowSegment {
  int frame = 0;
  Point tail;
  Point head;
};

// Arrows chained head to tail in frame order (frames without a vector add nothing), shifted so
// that the chain passes through `anchor_px` at the start of `anchor_frame` (0: the chain starts
// at the anchor). `vectors` need not be sorted; a frame listed twice keeps its first vector.
std::vector<ArrowSegment> chain_arrows(const std::vector<FrameVector>& vectors, Point anchor_px, int anchor_frame, int video_width_px,
                                       int video_height_px);

// The current frame's predicted vector against GT: the angle between them in degrees
// (0..180, empty when either is zero) and |pred| / |gt| (empty when gt is zero).
struct VectorComparison {
  std::optional<double> angle_error_deg;
  std::optional<double> magnitude_ratio;
};
VectorComparison compare_vectors(double gt_dx, double gt_dy, double pred_dx, double pred_dy);

}  // namespace idm::analysis
