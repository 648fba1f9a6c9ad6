#pragma once
// Spec §7 [ours]: `idmscope score --dataset` — every clip under a profile, then micro totals
// and mouse metrics pooled over the frames of all clips.
#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <vector>

#include "dataset/dataset.hpp"
#include "dataset/prediction_source.hpp"
#include "scoring/evaluate.hpp"
#include "scoring/profile.hpp"

namespace idm {

struct DatasetClipScore {
  std::string key;
  std::string tag;
  std::string error;  // the clip could not be read, or is left out (below): not in the totals
  bool left_out = false;  // its inference did not finish (the prediction store says so)
  ClipEvaluation evaluation;
  std::vector<std::string> warnings;  // evaluation warnings + "no predictions for this clip"
};

struct DatasetScore {
  ScoringProfile profile;
  std::string source_name;
  std::vector<DatasetClipScore> clips;
  CountsByType per_type{};
  Counts overall;
  MouseMetrics mouse;
};

DatasetScore score_dataset(const Dataset& dataset, const PredictionSet& predictions, const ScoringProfile& profile);

// What score_dataset evaluates a loaded clip with (the sweep uses the same).
ClipEvaluationInput dataset_clip_input(const DatasetClip& clip, const AnnotationsFile& annotations, const OverridesFile& overrides,
                                       const PredictionSet& predictions);
// The same from the dataset's parts, for a caller that keeps its own copies of the side files
// (the viewer's scoring task). `keep_going`, when given, is asked after each clip with (clips
// done, clips total); false stops early (the result is then incomplete and must be dropped).
DatasetScore score_dataset(const std::vector<DatasetClip>& clips, const AnnotationsFile& annotations, const OverridesFile& overrides,
                           const PredictionSet& predictions, const ScoringProfile& profile,
                           const std::function<bool(size_t, size_t)>& keep_going = {});

nlohmann::ordered_json dataset_score_json(const DatasetScore& score);
std::string dataset_score_csv(const DatasetScore& score);
std::string dataset_score_text(const DatasetScore& score);

}  // namespace idm
