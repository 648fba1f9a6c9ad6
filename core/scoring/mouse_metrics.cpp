#include "scoring/mouse_metrics.hpp"

#include <algorithm>
#include <cmath>

#include "gt/gesture.hpp"

namespace idm {

namespace {

int sign_of(double value) { return (value > 0) - (value < 0); }

long long rounded_component(double value) {
  return static_cast<long long>(std::clamp(std::nearbyint(value), -1e15, 1e15));
}

}  // namespace

void MouseFrameSet::append(const MouseFrameSet& other) {
  frames.insert(frames.end(), other.frames.begin(), other.frames.end());
  extra_predictions += other.extra_predictions;
}

MouseMetrics compute_mouse_metrics(const MouseFrameSet& set) {
  MouseMetrics out;
  out.frames = static_cast<int64_t>(set.frames.size());
  for (const MouseFrame& frame : set.frames) {
    if (frame.has_gt && frame.has_prediction) ++out.tp;
    else if (frame.has_prediction) ++out.fp;
    else if (frame.has_gt) ++out.fn;
  }
  out.fp += set.extra_predictions;
  if (int64_t denominator = 2 * out.tp + out.fp + out.fn; denominator > 0) {
    out.frame_f1 = 2.0 * static_cast<double>(out.tp) / static_cast<double>(denominator);
  }
  if (set.frames.empty()) return out;

  double mean_x = 0, mean_y = 0;
  for (const MouseFrame& frame : set.frames) mean_x += frame.gt_x, mean_y += frame.gt_y;
  mean_x /= static_cast<double>(set.frames.size());
  mean_y /= static_cast<double>(set.frames.size());
  double residual = 0, total = 0, bin_distance = 0, cosine_sum = 0;
  int64_t cosine_count = 0, both_count = 0, direction_hits = 0;
  for (const MouseFrame& frame : set.frames) {
    // Missing vectors are zero on both sides (has_gt/has_prediction false leave them 0).
    double px = frame.has_prediction ? frame.pred_x : 0.0, py = frame.has_prediction ? frame.pred_y : 0.0;
    double gx = frame.gt_x, gy = frame.gt_y;
    residual += (px - gx) * (px - gx) + (py - gy) * (py - gy);
    total += (gx - mean_x) * (gx - mean_x) + (gy - mean_y) * (gy - mean_y);
    double bx = exp_bin(rounded_component(px)) - exp_bin(frame.gt_x);
    double by = exp_bin(rounded_component(py)) - exp_bin(frame.gt_y);
    bin_distance += std::sqrt(bx * bx + by * by);
    if (frame.has_gt && frame.has_prediction) {
      ++both_count;
      if (sign_of(px) == sign_of(gx) && sign_of(py) == sign_of(gy)) ++direction_hits;
      double norm_p = std::sqrt(px * px + py * py), norm_g = std::sqrt(gx * gx + gy * gy);
      if (norm_p > 0 && norm_g > 0) {
        cosine_sum += (px * gx + py * gy) / (norm_p * norm_g);
        ++cosine_count;
      }
    }
  }
  if (total > 0) out.r2 = 1.0 - residual / total;
  out.l2 = bin_distance / static_cast<double>(set.frames.size());
  if (cosine_count > 0) out.cosine = cosine_sum / static_cast<double>(cosine_count);
  if (both_count > 0) out.dir_acc = static_cast<double>(direction_hits) / static_cast<double>(both_count);
  return out;
}

}  // namespace idm
