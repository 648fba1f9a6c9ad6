#pragma once
// Spec §7 `idmscope check`: findings about a dataset in two severities. Problems make the
// data wrong or unusable; notes are things real recordings contain that a reviewer should see.
#include <string>
#include <vector>

#include "dataset/dataset.hpp"

namespace idm {

enum class Severity { Problem, Note };

struct Finding {
  Severity severity = Severity::Problem;
  std::string clip_key;  // empty for dataset-level findings
  std::string kind;      // stable machine name: "no-video", "stuck-key", ...
  std::string message;
};

constexpr double kNearBoundaryUs = 5000.0;  // "within a few ms of a grid boundary"

std::vector<Finding> check_dataset(const Dataset& dataset);
// The same with the clips apart from the rest of the dataset (its side files and tree findings;
// `dataset.clips` is not read): for a task that reads the clips in place and a copy of the rest.
std::vector<Finding> check_dataset_clips(const Dataset& dataset, const std::vector<DatasetClip>& clips);

// Problems that change what a score counts: a clip that cannot be read or has no log (not
// scored), a folder that could not be listed, a bad video (default grid used), GT items that
// no frame of the video shows, a negative time span. `score` and the viewer name these.
bool affects_scores(const Finding& finding);

// "KEY: message" (or just the message for dataset-level findings), for one-line reports.
std::string finding_text(const Finding& finding);

}  // namespace idm
