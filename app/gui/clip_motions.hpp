#pragma once
// GT and per-source mouse motion of one clip, for the overlays: computed once per clip and
// source set (a source may hold a million predictions) and kept in the view state. No ImGui.
#include <vector>

#include "analysis/clip_motion.hpp"
#include "dataset/dataset.hpp"
#include "dataset/prediction_source.hpp"

namespace idm::gui {

struct ClipMotions {
  analysis::ClipMotion gt;
  std::vector<analysis::ClipMotion> sources;  // per source, in the order given
};

ClipMotions compute_clip_motions(const Dataset& dataset, int clip_index, const std::vector<const PredictionSet*>& sources, double fps);

}  // namespace idm::gui
