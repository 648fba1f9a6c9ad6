#include "infer/infer_run.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "infer/secrets.hpp"
#include "infer/window_merge.hpp"

namespace idm::infer {

const char* clip_run_status_name(ClipRunStatus status) {
  switch (status) {
    case ClipRunStatus::Queued: return "queued";
    case ClipRunStatus::Skipped: return "skipped";
    case ClipRunStatus::Running: return "running";
    case ClipRunStatus::Complete: return "complete";
    case ClipRunStatus::Failed: return "failed";
    case ClipRunStatus::Cancelled: return "cancelled";
  }
  return "?";
}

std::filesystem::path default_worker_path() {
  if (const char* path = std::getenv("IDMSCOPE_WORKER"); path && *path) return path;
  std::error_code code;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", code);
  return code ? std::filesystem::path("idmscope-worker") : self.parent_path() / "idmscope-worker";
}

InferRun::InferRun(InferRunOptions options) : options_(std::move(options)) {}

InferRun::~InferRun() {
  cancel();
  if (thread_.joinable()) thread_.join();
}

bool InferRun::start(std::string& error) {
  // The key itself is never in our settings, but a server may echo it back in an error.
  if (options_.backend.contains("api_key_env") && options_.backend["api_key_env"].is_string()) {
    register_secret_from_env(options_.backend["api_key_env"].get<std::string>());
  }
  if (!store_.open(options_.dataset_root, options_.run_name, error)) return false;
  nlohmann::json& record = store_.run();
  record["backend_config"] = options_.backend;  // names an env var for the key, never the key
  record["profile"] = options_.profile_name;
  record["windows"] = {{"size", options_.windows.size}, {"stride", options_.windows.stride},
                    {"keep_first", options_.windows.keep_first}, {"keep_last", options_.windows.keep_last}};
  record["frames"] = options_.frames;
  record["started_at"] = utc_timestamp();
  if (!store_.save_run(error)) return false;
  snapshot_.store_dir = store_.dir();
  work_.resize(options_.clips.size());
  for (const InferRunClip& clip : options_.clips) {
    ClipProgress progress;
    progress.key = clip.key;
    if (store_.clip_complete(clip.key) && !(options_.retry_bad_answers && stored_bad_answers(clip.key) > 0)) {
      progress.status = ClipRunStatus::Skipped;
      ++snapshot_.skipped;
    }
    snapshot_.clips.push_back(progress);
  }
  thread_ = std::thread([this] { run(); });
  return true;
}

void InferRun::cancel() {
  std::lock_guard lock(mutex_);
  cancel_requested_ = true;
}

InferRunSnapshot InferRun::snapshot() const {
  std::lock_guard lock(mutex_);
  InferRunSnapshot copy = snapshot_;
  if (client_) copy.log = client_->log_tail();
  return copy;
}

bool InferRun::finished() const {
  std::lock_guard lock(mutex_);
  return snapshot_.finished;
}

bool InferRun::wait(int timeout_ms) {
  std::unique_lock lock(mutex_);
  if (timeout_ms < 0) {
    finished_changed_.wait(lock, [this] { return snapshot_.finished; });
    return true;
  }
  return finished_changed_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [this] { return snapshot_.finished; });
}

int InferRun::stored_bad_answers(const std::string& clip_key) const {
  const nlohmann::json& clips = store_.run()["clips"];
  auto record = clips.find(clip_key);
  if (record == clips.end() || !record->is_object()) return 0;
  auto count = record->find("bad_answers");
  return count != record->end() && count->is_number_integer() ? count->get<int>() : 0;
}

void InferRun::save(size_t index, const std::string& status) {
  ClipWork& work = work_[index];
  const std::string& key = options_.clips[index].key;
  MergedAnswer merged = merge_window_answers(work.answers, work.grid_frames, options_.windows);
  nlohmann::json record{{"windows", work.windows}, {"grid_frames", work.grid_frames}};
  {
    std::lock_guard lock(mutex_);
    const ClipProgress& progress = snapshot_.clips[index];
    record["error"] = progress.error.empty() ? nlohmann::json() : nlohmann::json(progress.error);
    record["failed_windows"] = progress.failed_windows;
    record["bad_answers"] = progress.bad_answers;
  }
  record["finished_at"] = status == "partial" ? nlohmann::json() : nlohmann::json(utc_timestamp());
  std::string error;
  if (!store_.save_clip(key, status, merged.items, record, error)) {
    std::lock_guard lock(mutex_);
    snapshot_.failure = "cannot write the prediction store: " + error;
  }
}

void InferRun::finish_clip(size_t index, ClipRunStatus status, const std::string& error) {
  {
    std::lock_guard lock(mutex_);
    ClipProgress& progress = snapshot_.clips[index];
    if (progress.status != ClipRunStatus::Running && progress.status != ClipRunStatus::Queued) return;
    progress.status = status;
    progress.error = scrub_secrets(error);
    progress.stage.clear();
    if (status == ClipRunStatus::Complete) ++snapshot_.complete;
    if (status == ClipRunStatus::Failed) ++snapshot_.failed;
    if (status == ClipRunStatus::Cancelled) ++snapshot_.cancelled;
  }
  if (work_[index].request_id >= 0 || status == ClipRunStatus::Failed) {
    save(index, status == ClipRunStatus::Complete ? "complete" : status == ClipRunStatus::Failed ? "failed" : "cancelled");
  }
  work_[index].request_id = -1;
}

// Events reach us checked field by field (WorkerClient validates them), so the fields the
// protocol names have their types here.
void InferRun::handle(const nlohmann::json& event) {
  const std::string type = event.value("type", "");
  if (type == "fault") {
    std::string message = scrub_secrets("worker: " + event.value("message", ""));
    {
      std::lock_guard lock(mutex_);
      snapshot_.failure = message;
    }
    for (size_t i = 0; i < work_.size(); ++i) {
      if (work_[i].request_id >= 0) finish_clip(i, ClipRunStatus::Failed, message);
    }
    return;
  }
  if (!event.contains("id") || !event["id"].is_number_integer()) {
    if (type == "error") {
      std::lock_guard lock(mutex_);
      snapshot_.failure = scrub_secrets("worker: " + event.value("message", ""));
    }
    return;
  }
  int64_t id = event["id"].get<int64_t>();
  size_t index = work_.size();
  for (size_t i = 0; i < work_.size(); ++i) {
    if (work_[i].request_id == id) index = i;
  }
  if (index == work_.size()) return;  // a late event of a clip already settled
  ClipWork& work = work_[index];
  if (type == "progress") {
    std::lock_guard lock(mutex_);
    ClipProgress& progress = snapshot_.clips[index];
    progress.stage = event.value("stage", "");
    if (progress.stage == "windows") {
      progress.windows_done = event.value("done", 0);
      progress.windows_total = event.value("total", 0);
    }
    if (event.contains("grid_frames")) {
      work.grid_frames = event["grid_frames"].get<int>();
      work.answers.assign(window_starts(work.grid_frames, options_.windows).size(), std::nullopt);
      work.windows = nlohmann::json::array();
      for (size_t w = 0; w < work.answers.size(); ++w) work.windows.push_back(nullptr);
    }
  } else if (type == "window_result") {
    size_t w = static_cast<size_t>(event["window"].get<int64_t>());
    if (w >= work.answers.size()) return;
    const bool ok = event["ok"].get<bool>();
    nlohmann::json record{{"window", w}, {"start_frame", event.value("start_frame", 0)}, {"ok", ok},
                          {"attempts", event.value("attempts", 0)}, {"raw", event.value("raw", "")}};
    if (event.contains("error")) record["error"] = event["error"];
    if (ok && event.contains("bad_answer")) record["bad_answer"] = event["bad_answer"];
    bool counted_before = work.windows[w].is_object();  // a repeated window_result is not counted twice
    bool bad_before = counted_before && work.windows[w].contains("bad_answer");
    bool failed_before = counted_before && !work.windows[w].value("ok", false);
    work.windows[w] = record;
    if (ok) {
      work.answers[w] = event.value("answer", nlohmann::json::array());
    } else {
      work.answers[w] = std::nullopt;
    }
    {
      std::lock_guard lock(mutex_);
      ClipProgress& progress = snapshot_.clips[index];
      progress.failed_windows += (ok ? 0 : 1) - (failed_before ? 1 : 0);
      int bad_delta = (record.contains("bad_answer") ? 1 : 0) - (bad_before ? 1 : 0);
      if (bad_delta != 0) {
        if (progress.bad_answers == 0 && bad_delta > 0) ++snapshot_.clips_with_bad_answers;
        progress.bad_answers += bad_delta;
        snapshot_.bad_answers += bad_delta;
        if (progress.bad_answers == 0) --snapshot_.clips_with_bad_answers;
      }
    }
    save(index, "partial");  // lanes fill in as windows complete
  } else if (type == "clip_result") {
    if (event.contains("backend") && !store_.run().contains("backend")) {
      const nlohmann::json& backend = event["backend"];
      store_.run()["backend"] = backend;
      store_.run()["model"] = backend.contains("model") && backend["model"].is_string() ? backend["model"] : nlohmann::json("");
      if (backend.contains("prompt_hash")) store_.run()["prompt_hash"] = backend["prompt_hash"];
    }
    if (event.contains("grid_frames")) work.grid_frames = event["grid_frames"].get<int>();
    int failed = 0;
    std::string first_error;
    for (const auto& record : work.windows) {
      if (!record.is_object() || record.value("ok", false)) continue;
      ++failed;
      if (first_error.empty() && record.contains("error") && record["error"].is_string()) first_error = record["error"].get<std::string>();
    }
    int missing = 0;  // windows the worker never reported: the clip cannot be complete
    for (const auto& record : work.windows) missing += record.is_object() ? 0 : 1;
    failed = std::max(failed, event.value("failed_windows", 0));
    if (failed > 0) {
      finish_clip(index, ClipRunStatus::Failed, std::to_string(failed) + " of " + std::to_string(work.answers.size()) + " windows failed: " + first_error);
    } else if (missing > 0) {
      finish_clip(index, ClipRunStatus::Failed, "the worker reported the clip done with " + std::to_string(missing) + " of " +
                                                    std::to_string(work.answers.size()) + " windows missing");
    } else {
      finish_clip(index, ClipRunStatus::Complete, "");
    }
  } else if (type == "error") {
    // A protocol error stops that request in the worker too (it may still be working on it).
    if (event.value("protocol_error", false)) client_->cancel(id);
    finish_clip(index, ClipRunStatus::Failed, event.value("message", "error"));
  } else if (type == "cancelled") {
    finish_clip(index, ClipRunStatus::Cancelled, "cancelled");
  }
}

void InferRun::run() {
  std::vector<size_t> queue;
  {
    std::lock_guard lock(mutex_);
    for (size_t i = 0; i < snapshot_.clips.size(); ++i) {
      if (snapshot_.clips[i].status == ClipRunStatus::Queued) queue.push_back(i);
    }
  }
  std::reverse(queue.begin(), queue.end());  // pop_back takes them in order
  if (!queue.empty()) {
    auto client = std::make_unique<WorkerClient>(options_.worker);
    std::string error;
    bool started = client->start(error);
    {
      std::lock_guard lock(mutex_);
      client_ = std::move(client);
      if (!started) snapshot_.failure = scrub_secrets(error);
    }
    if (!started) {
      for (size_t index : queue) finish_clip(index, ClipRunStatus::Failed, error);
      queue.clear();
    }
  }
  bool cancelling = false;
  auto in_flight = [this] {
    int count = 0;
    for (const ClipWork& work : work_) count += work.request_id >= 0 ? 1 : 0;
    return count;
  };
  auto cancel_deadline = std::chrono::steady_clock::now();
  while (!queue.empty() || in_flight() > 0) {
    bool cancel_now;
    {
      std::lock_guard lock(mutex_);
      cancel_now = cancel_requested_;
    }
    if (cancel_now && !cancelling) {
      cancelling = true;
      cancel_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
      client_->cancel_all();
      for (size_t index : queue) finish_clip(index, ClipRunStatus::Cancelled, "cancelled");
      queue.clear();
    }
    if (cancelling && std::chrono::steady_clock::now() > cancel_deadline) {
      for (size_t i = 0; i < work_.size(); ++i) {
        if (work_[i].request_id >= 0) finish_clip(i, ClipRunStatus::Cancelled, "cancelled (the worker did not confirm)");
      }
      break;
    }
    while (!queue.empty() && in_flight() < options_.max_clips_in_flight && client_->state() != WorkerState::Failed) {
      size_t index = queue.back();
      queue.pop_back();
      nlohmann::json request{{"type", "run"},
                             {"clip", {{"key", options_.clips[index].key}, {"video", options_.clips[index].video.string()}}},
                             {"backend", options_.backend},
                             {"frames", options_.frames},
                             {"windows", {{"size", options_.windows.size}, {"stride", options_.windows.stride},
                                          {"keep_first", options_.windows.keep_first}, {"keep_last", options_.windows.keep_last}}}};
      int64_t id = client_->send_request(request);
      if (id < 0) {
        finish_clip(index, ClipRunStatus::Failed, "the worker is not running: " + client_->failure());
        continue;
      }
      work_[index].request_id = id;
      std::lock_guard lock(mutex_);
      snapshot_.clips[index].status = ClipRunStatus::Running;
      snapshot_.clips[index].stage = "queued in worker";
    }
    if (client_->state() == WorkerState::Failed || client_->state() == WorkerState::Exited) {
      nlohmann::json event;
      while (client_->poll_event(event)) handle(event);
      std::string message = "worker: " + client_->failure();
      for (size_t index : queue) finish_clip(index, ClipRunStatus::Failed, message);
      queue.clear();
      for (size_t i = 0; i < work_.size(); ++i) {
        if (work_[i].request_id >= 0) finish_clip(i, ClipRunStatus::Failed, message);
      }
      break;
    }
    nlohmann::json event;
    if (client_->wait_event(event, 50)) handle(event);
  }
  if (client_) client_->stop(2000);
  std::string error;
  int bad_answers = 0;  // over every clip of the store, this run's and earlier ones
  for (const auto& [key, record] : store_.run()["clips"].items()) {
    if (record.is_object() && record.contains("bad_answers") && record["bad_answers"].is_number_integer()) bad_answers += record["bad_answers"].get<int>();
  }
  store_.run()["bad_answers"] = bad_answers;
  store_.run()["finished_at"] = utc_timestamp();
  store_.save_run(error);
  std::lock_guard lock(mutex_);
  snapshot_.finished = true;
  finished_changed_.notify_all();
}

}  // namespace idm::infer
