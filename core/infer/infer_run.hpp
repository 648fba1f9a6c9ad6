#pragma once
// One inference run over a list of clips: owns a worker (through WorkerClient), feeds it the
// clips a few at a time, writes every window and clip result into the prediction store as it
// arrives, and publishes a snapshot for the CLI's progress bar and the GUI's panel. Clips
// already complete in the store are skipped and cost no requests (resumable runs).
//
// Threads: the owner calls start/cancel/snapshot/wait; one run thread inside drives the worker
// and is the only writer of the store. mutex_ guards snapshot_ and cancel_requested_.
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <optional>
#include <thread>
#include <vector>

#include "infer/prediction_store.hpp"
#include "infer/worker_client.hpp"
#include "scoring/windows.hpp"

namespace idm::infer {

enum class ClipRunStatus { Queued, Skipped, Running, Complete, Failed, Cancelled };
const char* clip_run_status_name(ClipRunStatus status);

struct ClipProgress {
  std::string key;
  ClipRunStatus status = ClipRunStatus::Queued;
  std::string stage;         // "decode" / "windows" while running
  int windows_done = 0;
  int windows_total = 0;
  int failed_windows = 0;
  int bad_answers = 0;       // windows whose answer was empty or had no JSON array: scored as []
  std::string error;         // why it failed (one line)
};

struct InferRunSnapshot {
  std::vector<ClipProgress> clips;
  bool finished = false;
  std::string failure;            // the worker's fault, or why the run could not go on
  std::vector<std::string> log;   // the worker's stderr tail
  int complete = 0, failed = 0, skipped = 0, cancelled = 0;
  int bad_answers = 0;            // windows of this run scored as [] without an array answer
  int clips_with_bad_answers = 0;
  std::filesystem::path store_dir;
};

struct InferRunClip {
  std::string key;
  std::filesystem::path video;
};

struct InferRunOptions {
  std::filesystem::path dataset_root;
  std::vector<InferRunClip> clips;
  std::string run_name;
  nlohmann::json backend;                       // {"name": ..., backend settings}; no secrets
  nlohmann::json frames = nlohmann::json::object();  // {"max_edge_px", "burn_labels"}
  WindowSpec windows;
  std::string profile_name;
  WorkerClientOptions worker;                   // argv = the worker executable
  int max_clips_in_flight = 2;
  // A resume reruns failed, cancelled and unfinished clips; with this also complete clips
  // with bad answers (by default they stay: they are scored as [] like the reference does).
  bool retry_bad_answers = false;
};

class InferRun {
 public:
  explicit InferRun(InferRunOptions options);
  ~InferRun();  // cancels and joins
  InferRun(const InferRun&) = delete;
  InferRun& operator=(const InferRun&) = delete;

  // Opens the store (errors here are synchronous) and starts the run thread.
  bool start(std::string& error);
  // Stops sending clips and cancels the ones in flight.
  void cancel();
  InferRunSnapshot snapshot() const;
  bool finished() const;
  // Waits until the run is over (timeout_ms < 0: forever); true when finished.
  bool wait(int timeout_ms = -1);

 private:
  void run();
  void handle(const nlohmann::json& event);
  void finish_clip(size_t index, ClipRunStatus status, const std::string& error);
  void save(size_t index, const std::string& status);
  int stored_bad_answers(const std::string& clip_key) const;  // from run.json

  InferRunOptions options_;
  PredictionStore store_;           // run thread only (after start)
  std::unique_ptr<WorkerClient> client_;
  std::thread thread_;
  // Run-thread state, per clip: answers by window, window records, grid length, request id.
  struct ClipWork {
    int64_t request_id = -1;
    int grid_frames = 0;
    std::vector<std::optional<nlohmann::json>> answers;
    nlohmann::json windows = nlohmann::json::array();
  };
  std::vector<ClipWork> work_;

  mutable std::mutex mutex_;        // guards the two below
  std::condition_variable finished_changed_;
  InferRunSnapshot snapshot_;
  bool cancel_requested_ = false;
};

// The worker executable: $IDMSCOPE_WORKER, else idmscope-worker next to this executable.
std::filesystem::path default_worker_path();

}  // namespace idm::infer
