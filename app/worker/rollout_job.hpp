#pragma once
// One "rollout" request: run a world model's program for one RSV trajectory (run_program, the
// same runner as the command backend), then check what it left: its last stdout line must be
// {"ok": true, "frames": N, ...} and out_dir must hold frame_00000.png .. or rollout.mp4 with at
// least the expected frames. Ends with rollout_result, cancelled or error (with the reason).
#include <nlohmann/json.hpp>

#include "clip_job.hpp"

namespace idm::worker_app {

// Runs on job.thread.
void run_rollout_job(ClipJob& job, const nlohmann::json& request);

}  // namespace idm::worker_app
