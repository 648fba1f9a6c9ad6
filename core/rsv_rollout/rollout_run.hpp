#pragma once
// `rsv rollout`: runs a world model's program on RSV trajectories through the worker
// (docs/rsv-rollout-protocol.md). Each trajectory is one `rollout` request; up to
// `concurrency` run at once. The context frame (the GT's frame 0) is written as a PNG beside
// the run; the program writes into <run>/<key>.partial/, which becomes <run>/<key>/ when the
// worker accepts it. run.json records every trajectory's status as it finishes (atomically),
// so a second run skips what is complete (resume). Worker faults, cancels and program errors
// become per-trajectory errors with the program's log lines.
//
// Threads: run_rollouts is synchronous on the caller's thread (the viewer wraps it in a task);
// progress is called from that thread; *cancel may be set from any thread.
#include <atomic>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "infer/worker_client.hpp"

namespace idm::rsv_rollout {

struct RolloutTrajectory {
  std::string key;                   // <split>/<stem>
  std::filesystem::path gt_video;
  std::vector<std::string> actions;
  std::vector<int> action_ids;
  int width = 0;
  int height = 0;
  double fps = 16.0;
  int frames_per_step = 9;
};

struct RolloutRunOptions {
  std::filesystem::path release_root;
  std::string run;
  std::vector<RolloutTrajectory> trajectories;
  std::vector<std::string> command;  // the program and its arguments (no shell)
  int concurrency = 1;
  double timeout_s = 600.0;
  uint64_t seed = 1;
  nlohmann::json grid = {{"translation_cm", 100.0}, {"yaw_deg", 15.0}, {"pitch_deg", 7.5}};
  infer::WorkerClientOptions worker;  // argv = the worker executable
  std::function<void(int done, int total)> progress;
  const std::atomic<bool>* cancel = nullptr;
};

struct RolloutOutcome {
  std::string key;
  std::string status;  // complete | skipped | failed | cancelled
  int frames = 0;
  double seconds = 0.0;
  std::string error;
  std::vector<std::string> log;  // the program's stderr lines for this trajectory
};

struct RolloutRunReport {
  std::vector<RolloutOutcome> trajectories;
  std::string failure;            // the worker's fault, if the run could not go on
  std::vector<std::string> log;   // the worker's stderr tail
  int complete = 0, skipped = 0, failed = 0, cancelled = 0;
  double wall_seconds = 0.0;
  std::filesystem::path run_folder;
};

// False with error when the run cannot start (bad name, unwritable folder, no worker).
bool run_rollouts(const RolloutRunOptions& options, RolloutRunReport& report, std::string& error);

}  // namespace idm::rsv_rollout
