#pragma once
// Per-frame movement and scroll of one clip: GT from the raw log (spec §8) and each source's
// predicted MouseMove / MouseScroll, for the arrows, the scroll gauge and the dx/dy plots.
#include <optional>
#include <vector>

#include "analysis/overlay_geometry.hpp"
#include "model/prediction.hpp"
#include "model/raw_event.hpp"

namespace idm::analysis {

struct FrameScrollValue {
  int frame = 0;
  std::optional<double> magnitude;  // positive = down; empty when only a direction was given
  int direction = 0;                // +1 down, -1 up, 0 unknown
};

struct ClipMotion {
  std::vector<FrameVector> moves;         // ascending frame, one per frame (the first predicted one)
  std::vector<FrameScrollValue> scrolls;  // ascending frame, one per frame (GT: summed; predicted: first)
  const FrameVector* move_at(int frame) const;
  const FrameScrollValue* scroll_at(int frame) const;
};

// GT: the §8 per-frame vectors (rounded 0-1000 values) and scroll magnitudes.
ClipMotion gt_motion(const ClipLog& log, int width_px, int height_px, double fps);
// A source: MouseMove vectors as given; MouseScroll signed numbers as magnitudes, up/down as directions.
ClipMotion predicted_motion(const std::vector<RawPrediction>& predictions);

}  // namespace idm::analysis
