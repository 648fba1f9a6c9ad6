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

}  // namespace idm
