#pragma once
// Spec §7 [ours]: `idmscope score --dataset` — every clip under a profile, then micro totals
// and mouse metrics pooled over the frames of all clips.
#include <nlohmann/json.hpp>

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
ClipEvaluationInput dataset_clip_input(const Dataset& dataset, const DatasetClip& clip, const PredictionSet& predictions);

nlohmann::ordered_json dataset_score_json(const DatasetScore& score);
std::string dataset_score_csv(const DatasetScore& score);
std::string dataset_score_text(const DatasetScore& score);

}  // namespace idm
