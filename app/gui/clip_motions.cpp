#include "clip_motions.hpp"

namespace idm::gui {

ClipMotions compute_clip_motions(const Dataset& dataset, int clip_index, const std::vector<const PredictionSet*>& sources, double fps) {
  ClipMotions out;
  if (clip_index < 0 || static_cast<size_t>(clip_index) >= dataset.clips.size()) return out;
  const DatasetClip& clip = dataset.clips[static_cast<size_t>(clip_index)];
  if (!clip.loaded) return out;
  out.gt = analysis::gt_motion(clip.log, clip_width(clip), clip_height(clip), fps);
  for (const PredictionSet* source : sources) {
    auto it = source->by_clip.find(clip.key);
    out.sources.push_back(it != source->by_clip.end() ? analysis::predicted_motion(it->second) : analysis::ClipMotion{});
  }
  return out;
}

}  // namespace idm::gui
