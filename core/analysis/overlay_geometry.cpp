#include "analysis/overlay_geometry.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>

namespace idm::analysis {

Point movement_to_video_px(double dx_1000, double dy_1000, int video_width_px, int video_height_px) {
  return {dx_1000 / 1000.0 * video_width_px, dy_1000 / 1000.0 * video_height_px};
}

VideoToScreen fit_video_to_panel(double panel_x, double panel_y, double panel_width, double panel_height, int video_width_px,
                                 int video_height_px, double zoom, double pan_x, double pan_y) {
  double fit = std::min(panel_width / video_width_px, panel_height / video_height_px);
  double scale = fit * zoom;
  double centre_x = panel_x + panel_width / 2 + pan_x, centre_y = panel_y + panel_height / 2 + pan_y;
  return {centre_x - video_width_px * scale / 2, centre_y - video_height_px * scale / 2, scale};
}

std::vector<ArrowSegment> chain_arrows(const std::vector<FrameVector>& vectors, Point anchor_px, int anchor_frame, int video_width_px,
                                       int video_height_px) {
  std::map<int, Point> by_frame;  // ordered by frame; first vector of a frame wins
  for (const FrameVector& vector : vectors) by_frame.emplace(vector.frame, movement_to_video_px(vector.dx, vector.dy, video_width_px, video_height_px));
  // Walk from the origin, then shift everything so the position at anchor_frame is the anchor.
  std::vector<ArrowSegment> out;
  Point cursor{0, 0}, at_anchor{0, 0};
  bool anchor_seen = false;
  for (const auto& [frame, step] : by_frame) {
    if (!anchor_seen && frame >= anchor_frame) {
      at_anchor = cursor;
      anchor_seen = true;
    }
    Point head{cursor.x + step.x, cursor.y + step.y};
    out.push_back({frame, cursor, head});
    cursor = head;
  }
  if (!anchor_seen) at_anchor = cursor;
  for (ArrowSegment& segment : out) {
    segment.tail = {segment.tail.x - at_anchor.x + anchor_px.x, segment.tail.y - at_anchor.y + anchor_px.y};
    segment.head = {segment.head.x - at_anchor.x + anchor_px.x, segment.head.y - at_anchor.y + anchor_px.y};
  }
  return out;
}

VectorComparison compare_vectors(double gt_dx, double gt_dy, double pred_dx, double pred_dy) {
  VectorComparison out;
  double gt_norm = std::hypot(gt_dx, gt_dy), pred_norm = std::hypot(pred_dx, pred_dy);
  if (gt_norm > 0) out.magnitude_ratio = pred_norm / gt_norm;
  if (gt_norm > 0 && pred_norm > 0) {
    double cosine = std::clamp((gt_dx * pred_dx + gt_dy * pred_dy) / (gt_norm * pred_norm), -1.0, 1.0);
    out.angle_error_deg = std::acos(cosine) * 180.0 / std::numbers::pi;
  }
  return out;
}

}  // namespace idm::analysis
