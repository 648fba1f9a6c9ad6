#pragma once
// The prediction store: DATASET/.idmscope/predictions/RUN/ holds one JSON per clip (named by
// clip key, {"clip", "status", "predictions": [...]}) and run.json (backend, model, prompt
// hash, profile, times, and every window's raw response). Every write is atomic; unknown
// keys in run.json survive. The folder loads as a prediction source (spec §6 (c)).
// Not thread-safe: one owner (the inference run's thread, or the CLI) writes it.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace idm::infer {

// A run name is a folder name: letters, digits, '.', '_', '-', not starting with '.'.
bool valid_run_name(const std::string& name, std::string& error);

std::filesystem::path runs_dir(const std::filesystem::path& dataset_root);
std::filesystem::path run_dir(const std::filesystem::path& dataset_root, const std::string& run_name);

// "2026-11-22T06:11:24Z"
std::string utc_timestamp();

class PredictionStore {
 public:
  // Creates the run folder if needed and reads run.json if it exists. False with an error
  // naming the file when run.json is unreadable (it is never overwritten then).
  bool open(const std::filesystem::path& dataset_root, const std::string& run_name, std::string& error);

  const std::filesystem::path& dir() const { return dir_; }
  nlohmann::json& run() { return run_; }  // run.json's document; save_run() writes it
  const nlohmann::json& run() const { return run_; }

  // Finished earlier: status "complete" in run.json and the clip file exists.
  bool clip_complete(const std::string& clip_key) const;
  std::filesystem::path clip_path(const std::string& clip_key) const;

  // Writes the clip's predictions file and records status/windows in run.json (then saves it).
  // status: "partial" while windows arrive, then "complete", "failed" or "cancelled".
  bool save_clip(const std::string& clip_key, const std::string& status, const nlohmann::json& predictions,
                 const nlohmann::json& clip_record, std::string& error);

  bool save_run(std::string& error);

 private:
  std::filesystem::path dir_;
  nlohmann::json run_ = nlohmann::json::object();
};

}  // namespace idm::infer
