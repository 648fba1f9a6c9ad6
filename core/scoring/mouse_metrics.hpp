#pragma once
// Spec §8 [ours]: frame F1, R², cosine, L2 over exp bins, and direction accuracy for
// per-frame mouse movement. Undefined metrics are empty (printed as null), never 0.
#include <cstdint>
#include <optional>
#include <vector>

namespace idm {

// One frame in G ∪ P. GT components are the rounded 0-1000 values; predicted ones as given.
struct MouseFrame {
  int frame = 0;
  bool has_gt = false;
  int gt_x = 0;
  int gt_y = 0;
  bool has_prediction = false;
  double pred_x = 0.0;
  double pred_y = 0.0;
};

struct MouseFrameSet {
  std::vector<MouseFrame> frames;
  int64_t extra_predictions = 0;  // further predicted vectors on an already-predicted frame
  void append(const MouseFrameSet& other);
};

struct MouseMetrics {
  int64_t frames = 0;  // |G ∪ P|
  int64_t tp = 0, fp = 0, fn = 0;
  std::optional<double> frame_f1, r2, cosine, l2, dir_acc;
};

MouseMetrics compute_mouse_metrics(const MouseFrameSet& set);

}  // namespace idm
