#pragma once
// `rsv import`: copies a model's rollouts into DIR/.idmscope/rollouts/RUN/ (rsv.md §6). A
// rollout is <stem>.mp4 or a folder <stem>/ of numbered PNGs, flat or under <split>/, with an
// optional <stem>.rollout.json sidecar. Every file is written atomically (a PNG folder is built
// beside its target and renamed into place); run.json lists what was imported and keeps its
// unknown keys. Files that match no trajectory and trajectories without a rollout are listed.
#include <filesystem>
#include <string>
#include <vector>

#include "rsv/release.hpp"

namespace idm::rsv_eval {

struct ImportReport {
  int imported = 0;
  std::vector<std::string> unmatched;  // source entries that match no trajectory (with why)
  std::vector<std::string> problems;   // rollouts that could not be imported (with why)
  std::vector<std::string> missing;    // member keys with no rollout in the run afterwards
  std::filesystem::path run_folder;
};

// False with error when nothing can be done (bad run name, unreadable source, unwritable run).
bool import_rollouts(const rsv::Release& release, const std::filesystem::path& source, const std::string& run,
                     ImportReport& report, std::string& error);

}  // namespace idm::rsv_eval
