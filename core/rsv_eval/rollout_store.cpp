#include "rsv_eval/rollout_store.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "io/atomic_write.hpp"

namespace idm::rsv_eval {

namespace fs = std::filesystem;

fs::path run_dir(const fs::path& release_root, const std::string& run) { return release_root / ".idmscope" / "rollouts" / run; }

bool valid_run_name(const std::string& run, std::string& why) {
  if (run.empty() || run.size() > 100) {
    why = "a run name needs 1 to 100 characters";
    return false;
  }
  if (run.front() == '.') {
    why = "a run name cannot start with '.'";
    return false;
  }
  for (char c : run) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') {
      why = "a run name may hold letters, digits, '-', '_' and '.', not '" + std::string(1, c) + "'";
      return false;
    }
  }
  return true;
}

bool parse_sidecar(const std::string& text, int context_count, RolloutSidecar& out, std::string& error) {
  nlohmann::json document = nlohmann::json::parse(text, nullptr, false);
  if (document.is_discarded() || !document.is_object()) {
    error = "not a JSON object";
    return false;
  }
  out = RolloutSidecar{};
  out.document = document;
  if (document.contains("fps")) {
    if (!document["fps"].is_number() || !(document["fps"].get<double>() > 0.0) || document["fps"].get<double>() > 1000.0) {
      error = "fps: expected a number in (0, 1000]";
      return false;
    }
    out.fps = document["fps"].get<double>();
  }
  if (document.contains("frames_per_step")) {
    if (!document["frames_per_step"].is_number_integer() || document["frames_per_step"].get<int64_t>() < 1 ||
        document["frames_per_step"].get<int64_t>() > 1000) {
      error = "frames_per_step: expected an integer from 1 to 1000";
      return false;
    }
    out.frames_per_step = document["frames_per_step"].get<int>();
  }
  if (document.contains("includes_context")) {
    if (!document["includes_context"].is_boolean()) {
      error = "includes_context: expected true or false";
      return false;
    }
    out.context_frames = document["includes_context"].get<bool>() ? std::max(1, context_count) : 0;
  }
  if (document.contains("step_end_frames")) {
    const nlohmann::json& ends = document["step_end_frames"];
    if (!ends.is_array()) {
      error = "step_end_frames: expected an array of frame numbers";
      return false;
    }
    for (size_t k = 0; k < ends.size(); ++k) {
      if (!ends[k].is_number_integer() || ends[k].get<int64_t>() < 0 || ends[k].get<int64_t>() > 1'000'000) {
        error = "step_end_frames/" + std::to_string(k) + ": expected a frame number";
        return false;
      }
      out.step_end_frames.push_back(ends[k].get<int>());
    }
  }
  return true;
}

std::optional<RolloutFiles> find_rollout(const fs::path& run_folder, const std::string& member_key) {
  std::error_code ec;
  RolloutFiles files;
  fs::path base = run_folder / member_key;
  fs::path sidecar = base;
  sidecar += ".rollout.json";
  if (fs::is_regular_file(sidecar, ec)) files.sidecar = sidecar;
  fs::path video = base;
  video += ".mp4";
  if (fs::is_regular_file(video, ec)) {
    files.path = video;
    return files;
  }
  if (fs::is_directory(base, ec)) {
    if (fs::is_regular_file(base / "rollout.mp4", ec)) {
      files.path = base / "rollout.mp4";
      return files;
    }
    files.kind = RolloutKind::PngFolder;
    files.path = base;
    if (files.sidecar.empty() && fs::is_regular_file(base / "rollout.json", ec)) files.sidecar = base / "rollout.json";
    return files;
  }
  return std::nullopt;
}

bool list_numbered_pngs(const fs::path& folder, std::vector<fs::path>& out, std::string& error) {
  out.clear();
  std::map<long long, fs::path> numbered;
  std::error_code ec;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.size() < 5) continue;
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (!lower.ends_with(".png")) continue;
    std::string stem = name.substr(0, name.size() - 4);
    size_t digits_end = stem.size();
    while (digits_end > 0 && !std::isdigit(static_cast<unsigned char>(stem[digits_end - 1]))) --digits_end;
    size_t digits_begin = digits_end;
    while (digits_begin > 0 && std::isdigit(static_cast<unsigned char>(stem[digits_begin - 1]))) --digits_begin;
    if (digits_begin == digits_end || digits_end - digits_begin > 12) {
      error = name + ": a PNG without a frame number in its name";
      return false;
    }
    long long number = std::stoll(stem.substr(digits_begin, digits_end - digits_begin));
    auto [slot, inserted] = numbered.emplace(number, it->path());
    if (!inserted) {
      error = name + " and " + slot->second.filename().string() + " have the same frame number " + std::to_string(number);
      return false;
    }
  }
  if (ec) {
    error = "cannot list " + folder.string() + ": " + ec.message();
    return false;
  }
  if (numbered.empty()) {
    error = folder.string() + ": no PNG frames";
    return false;
  }
  for (auto& [number, path] : numbered) out.push_back(path);
  return true;
}

int rollout_frame_for(int gt_frame, const RolloutSidecar& sidecar, int gt_frames_per_step, double gt_fps) {
  if (gt_frames_per_step > 0 && (gt_frame + 1) % gt_frames_per_step == 0) {
    size_t step = static_cast<size_t>((gt_frame + 1) / gt_frames_per_step - 1);
    if (step < sidecar.step_end_frames.size()) return sidecar.step_end_frames[step];
  }
  long index = sidecar.context_frames + std::lround((gt_frame + 1) * sidecar.fps / gt_fps) - 1;
  return static_cast<int>(std::max(0L, index));
}

bool read_run_json(const fs::path& run_folder, nlohmann::ordered_json& out, std::string& error) {
  out = nlohmann::ordered_json::object();
  std::error_code ec;
  fs::path path = run_folder / "run.json";
  if (!fs::exists(path, ec)) return true;
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in.good() && !in.eof()) {
    error = "cannot read " + path.string();
    return false;
  }
  out = nlohmann::ordered_json::parse(text.str(), nullptr, false);
  if (out.is_discarded() || !out.is_object()) {
    error = path.string() + ": not a JSON object";
    out = nlohmann::ordered_json::object();
    return false;
  }
  return true;
}

bool write_run_json(const fs::path& run_folder, const nlohmann::ordered_json& document, std::string& error) {
  std::error_code ec;
  fs::create_directories(run_folder, ec);
  if (ec) {
    error = "cannot create " + run_folder.string() + ": " + ec.message();
    return false;
  }
  return write_file_atomically(run_folder / "run.json", document.dump(2) + "\n", error);
}

}  // namespace idm::rsv_eval
