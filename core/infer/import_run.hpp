#pragma once
// The import backend: an existing results file or per-clip folder brought into the
// prediction store, so imported and inferred runs are handled alike.
#include <filesystem>
#include <string>
#include <vector>

#include "infer/infer_run.hpp"

namespace idm {
struct Dataset;
}

namespace idm::infer {

struct ImportSummary {
  int imported = 0;
  int skipped = 0;   // already complete in the run
  int missing = 0;   // selected clips the source has no predictions for
  std::vector<std::string> warnings;
  std::filesystem::path store_dir;
};

bool import_predictions(const Dataset& dataset, const std::filesystem::path& source, const std::string& run_name,
                        const std::vector<InferRunClip>& clips, ImportSummary& out, std::string& error);

}  // namespace idm::infer
