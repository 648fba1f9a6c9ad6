#include "rsv_rollout/rollout_run.hpp"

#include <algorithm>
#include <chrono>
#include <map>

#include "infer/frame_image.hpp"
#include "io/atomic_write.hpp"
#include "rsv/frame_reader.hpp"
#include "rsv_eval/rollout_store.hpp"

namespace idm::rsv_rollout {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// The GT's frame 0 as a PNG: the context the model starts from.
bool write_context_png(const RolloutTrajectory& trajectory, const fs::path& target, std::string& error) {
  rsv::FrameReader reader;
  std::vector<uint8_t> rgb;
  if (!reader.open(trajectory.gt_video, error) || !reader.read_rgb(0, rgb, error)) return false;
  infer::FrameImage image;
  image.width = reader.facts().width;
  image.height = reader.facts().height;
  image.rgba.resize(static_cast<size_t>(image.width) * image.height * 4);
  for (size_t i = 0, n = static_cast<size_t>(image.width) * image.height; i < n; ++i) {
    image.rgba[i * 4] = rgb[i * 3];
    image.rgba[i * 4 + 1] = rgb[i * 3 + 1];
    image.rgba[i * 4 + 2] = rgb[i * 3 + 2];
    image.rgba[i * 4 + 3] = 255;
  }
  std::string png = infer::encode_png(image);
  if (png.empty()) {
    error = "cannot encode the context frame";
    return false;
  }
  std::error_code ec;
  fs::create_directories(target.parent_path(), ec);
  return write_file_atomically(target, png, error);
}

fs::path with_suffix(fs::path path, const char* suffix) {
  path += suffix;
  return path;
}

// Moves the accepted output into place: <run>/<key>/ (PNGs or rollout.mp4), replacing an older
// rollout of the same trajectory (folder or mp4), and writes or removes its sidecar.
bool accept_output(const fs::path& run_folder, const std::string& key, const fs::path& partial, const nlohmann::json& result,
                   std::string& error) {
  const fs::path target = run_folder / key;
  std::error_code ec;
  fs::remove_all(target, ec);
  fs::remove(with_suffix(target, ".mp4"), ec);
  fs::rename(partial, target, ec);
  if (ec) {
    error = "cannot move " + partial.string() + " into place: " + ec.message();
    return false;
  }
  const bool includes_context = result["includes_context"].get<bool>();
  const double fps = result["fps"].get<double>();
  const fs::path sidecar = with_suffix(target, ".rollout.json");
  if (includes_context || fps != 16.0) {
    nlohmann::ordered_json document = {{"fps", fps}, {"includes_context", includes_context}};
    return write_file_atomically(sidecar, document.dump(2) + "\n", error);
  }
  fs::remove(sidecar, ec);
  return true;
}

}  // namespace

bool run_rollouts(const RolloutRunOptions& options, RolloutRunReport& report, std::string& error) {
  const auto started = Clock::now();
  if (!rsv_eval::valid_run_name(options.run, error)) return false;
  if (options.command.empty()) {
    error = "no program to run (--command)";
    return false;
  }
  report.run_folder = rsv_eval::run_dir(options.release_root, options.run);
  nlohmann::ordered_json run_json;
  if (!rsv_eval::read_run_json(report.run_folder, run_json, error)) return false;
  if (!run_json.contains("name")) run_json["name"] = options.run;
  run_json["kind"] = "command";
  run_json["command"] = options.command;
  run_json["concurrency"] = options.concurrency;
  run_json["timeout_s"] = options.timeout_s;
  run_json["seed"] = options.seed;
  run_json["grid"] = options.grid;
  if (!run_json["trajectories"].is_object()) run_json["trajectories"] = nlohmann::ordered_json::object();
  if (!rsv_eval::write_run_json(report.run_folder, run_json, error)) return false;

  // What is already complete stays (resume).
  std::vector<size_t> pending;
  report.trajectories.resize(options.trajectories.size());
  for (size_t i = 0; i < options.trajectories.size(); ++i) {
    const RolloutTrajectory& trajectory = options.trajectories[i];
    RolloutOutcome& outcome = report.trajectories[i];
    outcome.key = trajectory.key;
    const nlohmann::ordered_json& stored = run_json["trajectories"].contains(trajectory.key) ? run_json["trajectories"][trajectory.key]
                                                                                              : nlohmann::ordered_json();
    if (stored.is_object() && stored.value("status", "") == "complete" && rsv_eval::find_rollout(report.run_folder, trajectory.key)) {
      outcome.status = "skipped";
      outcome.frames = stored.value("frames", 0);
      ++report.skipped;
    } else {
      pending.push_back(i);
    }
  }
  const int total = static_cast<int>(pending.size());
  int done = 0;
  if (options.progress) options.progress(0, total);
  if (pending.empty()) {
    report.wall_seconds = std::chrono::duration<double>(Clock::now() - started).count();
    return true;
  }

  infer::WorkerClient client(options.worker);
  if (!client.start(error)) return false;
  const std::string program = fs::path(options.command.front()).filename().string();
  std::map<int64_t, size_t> in_flight;  // request id -> trajectory index
  std::map<size_t, Clock::time_point> started_at;
  size_t next = 0;
  bool cancelling = false;
  auto record = [&](size_t index) {
    const RolloutOutcome& outcome = report.trajectories[index];
    nlohmann::ordered_json entry = {{"status", outcome.status}, {"frames", outcome.frames}, {"seconds", outcome.seconds}};
    if (!outcome.error.empty()) entry["error"] = outcome.error;
    run_json["trajectories"][outcome.key] = entry;
    std::string write_error;
    if (!rsv_eval::write_run_json(report.run_folder, run_json, write_error) && report.failure.empty()) report.failure = write_error;
  };
  auto finish = [&](size_t index, const std::string& status, const std::string& message, int frames) {
    RolloutOutcome& outcome = report.trajectories[index];
    outcome.status = status;
    outcome.error = message;
    outcome.frames = frames;
    outcome.seconds = std::chrono::duration<double>(Clock::now() - started_at[index]).count();
    if (status == "complete") ++report.complete;
    else if (status == "cancelled") ++report.cancelled;
    else ++report.failed;
    std::error_code ec;
    fs::remove_all(with_suffix(report.run_folder / outcome.key, ".partial"), ec);
    record(index);
    ++done;
    if (options.progress) options.progress(done, total);
  };
  while (true) {
    if (options.cancel && *options.cancel && !cancelling) {
      cancelling = true;
      client.cancel_all();
    }
    // Keep `concurrency` requests in flight.
    while (!cancelling && report.failure.empty() && next < pending.size() && static_cast<int>(in_flight.size()) < options.concurrency &&
           client.state() == infer::WorkerState::Ready) {
      size_t index = pending[next++];
      const RolloutTrajectory& trajectory = options.trajectories[index];
      started_at[index] = Clock::now();
      fs::path context = report.run_folder / ".context" / (trajectory.key + ".png");
      std::string context_error;
      if (!write_context_png(trajectory, context, context_error)) {
        finish(index, "failed", "context frame: " + context_error, 0);
        continue;
      }
      nlohmann::json input = {{"context", {context.string()}},
                              {"actions", trajectory.actions},
                              {"action_ids", trajectory.action_ids},
                              {"grid", options.grid},
                              {"fps", trajectory.fps},
                              {"frames_per_step", trajectory.frames_per_step},
                              {"seed", options.seed},
                              {"out_dir", with_suffix(report.run_folder / trajectory.key, ".partial").string()},
                              {"width", trajectory.width},
                              {"height", trajectory.height},
                              {"key", trajectory.key}};
      int64_t id = client.send_request({{"type", "rollout"},
                                        {"trajectory", trajectory.key},
                                        {"command", options.command},
                                        {"timeout_s", options.timeout_s},
                                        {"expected_frames", static_cast<int>(trajectory.actions.size()) * trajectory.frames_per_step},
                                        {"input", input}});
      if (id < 0) {
        finish(index, "failed", "the worker is not running: " + client.failure(), 0);
        continue;
      }
      in_flight[id] = index;
    }
    if (in_flight.empty() && (next >= pending.size() || cancelling || !report.failure.empty() ||
                              client.state() == infer::WorkerState::Failed || client.state() == infer::WorkerState::Exited))
      break;
    nlohmann::json event;
    if (!client.wait_event(event, 100)) continue;
    const std::string type = event.value("type", "");
    if (type == "fault" || type == "exit") {
      std::string why = type == "fault" ? event.value("message", std::string("the worker failed")) : "the worker exited";
      if (report.failure.empty()) report.failure = why;
      for (auto& [id, index] : in_flight) finish(index, "failed", why, 0);
      in_flight.clear();
      continue;
    }
    if (!event.contains("id") || !event["id"].is_number_integer()) continue;
    auto found = in_flight.find(event["id"].get<int64_t>());
    if (found == in_flight.end()) continue;
    size_t index = found->second;
    if (type == "rollout_result") {
      std::string accept_error;
      in_flight.erase(found);
      if (accept_output(report.run_folder, options.trajectories[index].key, with_suffix(report.run_folder / options.trajectories[index].key, ".partial"),
                        event, accept_error))
        finish(index, "complete", "", event["frames"].get<int>());
      else
        finish(index, "failed", accept_error, 0);
    } else if (type == "error") {
      in_flight.erase(found);
      finish(index, "failed", event.value("message", std::string("error")), 0);
    } else if (type == "cancelled") {
      in_flight.erase(found);
      finish(index, "cancelled", "cancelled", 0);
    }
  }
  // Trajectories never sent (cancel or a dead worker).
  for (size_t n = next; n < pending.size(); ++n) {
    RolloutOutcome& outcome = report.trajectories[pending[n]];
    outcome.status = cancelling ? "cancelled" : "failed";
    outcome.error = cancelling ? "cancelled before it started" : "not run: " + report.failure;
    if (cancelling) ++report.cancelled;
    else ++report.failed;
  }
  // Give the worker's last log lines a moment to arrive, then stop it.
  client.stop();
  report.log = client.log_tail();
  for (RolloutOutcome& outcome : report.trajectories) {
    if (outcome.status != "failed") continue;
    std::string prefix = "[" + program + " " + outcome.key + "]";
    std::string worker_line = "rollout " + outcome.key + ":";
    for (const std::string& line : report.log) {
      if (line.find(prefix) != std::string::npos || line.find(worker_line) != std::string::npos) outcome.log.push_back(line);
    }
  }
  report.wall_seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return true;
}

}  // namespace idm::rsv_rollout
