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
  // From a prediction store's clip files ({"status", "bad_answers"}): clips whose inference
  // did not finish (failed, cancelled, partial) are left out of scores, as the reference skips
  // them (key -> why; their predictions so far are still in by_clip, for the viewer); complete
  // clips may count model answers scored as [] without being one.
  std::map<std::string, std::string> excluded;
  std::map<std::string, int> bad_answers;
};

// Loads SRC for `dataset` (results file clips are matched by clip_name to a unique clip key).
bool load_prediction_source(const std::filesystem::path& source, const Dataset& dataset, PredictionSet& out,
                            std::string& error);

}  // namespace idm
