#include "infer/prediction_store.hpp"

#include <ctime>
#include <fstream>
#include <sstream>

#include "infer/secrets.hpp"
#include "io/atomic_write.hpp"

namespace idm::infer {

bool valid_run_name(const std::string& name, std::string& error) {
  bool ok = !name.empty() && name.size() <= 128 && name[0] != '.';
  for (char c : name) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-');
  if (!ok) error = "run name \"" + name + "\": use letters, digits, '.', '_' and '-' (not starting with '.')";
  return ok;
}

std::filesystem::path runs_dir(const std::filesystem::path& dataset_root) { return dataset_root / ".idmscope" / "predictions"; }

std::filesystem::path run_dir(const std::filesystem::path& dataset_root, const std::string& run_name) {
  return runs_dir(dataset_root) / run_name;
}

std::string utc_timestamp() {
  std::time_t now = std::time(nullptr);
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

bool PredictionStore::open(const std::filesystem::path& dataset_root, const std::string& run_name, std::string& error) {
  if (!valid_run_name(run_name, error)) return false;
  dir_ = run_dir(dataset_root, run_name);
  std::error_code code;
  std::filesystem::create_directories(dir_, code);
  if (code) {
    error = "cannot create " + dir_.string() + ": " + code.message();
    return false;
  }
  std::filesystem::path file = dir_ / "run.json";
  if (std::filesystem::exists(file, code)) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    run_ = nlohmann::json::parse(text.str(), nullptr, false);
    if (!in || run_.is_discarded() || !run_.is_object()) {
      error = file.string() + ": not a JSON object; fix or remove it (it was left untouched)";
      run_ = nlohmann::json::object();
      return false;
    }
  } else {
    run_ = {{"format", "idmscope-run"}, {"version", 1}, {"run", run_name}, {"created_at", utc_timestamp()}};
  }
  if (!run_.contains("clips") || !run_["clips"].is_object()) run_["clips"] = nlohmann::json::object();
  return true;
}

std::filesystem::path PredictionStore::clip_path(const std::string& clip_key) const { return dir_ / (clip_key + ".json"); }

bool PredictionStore::clip_complete(const std::string& clip_key) const {
  auto clips = run_.find("clips");
  if (clips == run_.end() || !clips->contains(clip_key)) return false;
  const nlohmann::json& record = (*clips)[clip_key];
  std::error_code code;
  return record.is_object() && record.value("status", "") == "complete" && std::filesystem::is_regular_file(clip_path(clip_key), code);
}

bool PredictionStore::save_clip(const std::string& clip_key, const std::string& status, const nlohmann::json& predictions,
                                const nlohmann::json& clip_record, std::string& error) {
  std::filesystem::path file = clip_path(clip_key);
  std::error_code code;
  std::filesystem::create_directories(file.parent_path(), code);
  if (code) {
    error = "cannot create " + file.parent_path().string() + ": " + code.message();
    return false;
  }
  nlohmann::json document{{"clip", clip_key}, {"status", status}, {"predictions", predictions}};
  // Answers scored as [] without being one: `score` warns about them from this file alone.
  if (clip_record.contains("bad_answers")) document["bad_answers"] = clip_record["bad_answers"];
  if (!write_file_atomically(file, scrub_secrets(document.dump(1, ' ', false, nlohmann::json::error_handler_t::replace)) + "\n", error)) return false;
  nlohmann::json& record = run_["clips"][clip_key];
  if (!record.is_object()) record = nlohmann::json::object();
  for (auto& [key, value] : clip_record.items()) record[key] = value;  // other keys stay
  record["status"] = status;
  record["updated_at"] = utc_timestamp();
  return save_run(error);
}

bool PredictionStore::save_run(std::string& error) {
  run_["updated_at"] = utc_timestamp();
  return write_file_atomically(dir_ / "run.json", scrub_secrets(run_.dump(1, ' ', false, nlohmann::json::error_handler_t::replace)) + "\n", error);
}

}  // namespace idm::infer
