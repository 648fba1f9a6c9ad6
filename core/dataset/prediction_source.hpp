#pragma once
// Prediction sources (spec §6): the reference results file, or a folder with one JSON array
// per clip named by clip key. Predictions stay undecided (RawPrediction) so each profile can
// filter them its own way.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "model/prediction.hpp"

namespace idm {

struct Dataset;

struct PredictionSet {
  std::string name;                 // shown in reports: the file or folder name
  std::filesystem::path path;
  std::map<std::string, std::vector<RawPrediction>> by_clip;  // clip key -> predictions
  std::vector<std::string> warnings;  // unreadable entries, clips not in the dataset
};

// Loads SRC for `dataset` (results file clips are matched by clip_name to a unique clip key).
bool load_prediction_source(const std::filesystem::path& source, const Dataset& dataset, PredictionSet& out,
                            std::string& error);

}  // namespace idm
