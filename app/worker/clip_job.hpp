#pragma once
// One "run" request: decode the clip's grid frames, run every window through the backend on
// the pool, stream window_result/progress events, then send the merged clip_result (or
// "cancelled", or "error").
#include <atomic>
#include <nlohmann/json.hpp>
#include <thread>

#include "window_pool.hpp"

namespace idm::worker_app {

struct ClipJob {
  int64_t id = 0;
  std::atomic<bool> cancel{false};
  std::atomic<bool> finished{false};
  std::thread thread;  // owned by the main loop, which joins it
};

// Runs on job.thread.
void run_clip_job(ClipJob& job, const nlohmann::json& request, WindowPool& pool);

}  // namespace idm::worker_app
