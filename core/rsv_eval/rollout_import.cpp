#include "rsv_eval/rollout_import.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "io/atomic_write.hpp"
#include "rsv/frame_reader.hpp"
#include "rsv_eval/rollout_store.hpp"

namespace idm::rsv_eval {

namespace fs = std::filesystem;

namespace {

bool read_bytes(const fs::path& path, std::string& out, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot open " + path.string();
    return false;
  }
  std::stringstream text;
  text << in.rdbuf();
  out = text.str();
  return true;
}

struct Candidate {
  std::string key;          // member key it matched
  fs::path path;            // mp4 or PNG folder
  bool png_folder = false;
  fs::path sidecar;
};

// Copies a PNG folder: built as <target>.importing, then renamed over <target>.
bool copy_png_folder(const fs::path& from, const fs::path& target, int& frames, std::string& error) {
  std::vector<fs::path> pngs;
  if (!list_numbered_pngs(from, pngs, error)) return false;
  frames = static_cast<int>(pngs.size());
  fs::path building = target;
  building += ".importing";
  std::error_code ec;
  fs::remove_all(building, ec);
  fs::create_directories(building, ec);
  if (ec) {
    error = "cannot create " + building.string() + ": " + ec.message();
    return false;
  }
  for (const fs::path& png : pngs) {
    std::string bytes;
    if (!read_bytes(png, bytes, error) || !write_file_atomically(building / png.filename(), bytes, error)) return false;
  }
  fs::path old = target;
  old += ".replaced";
  fs::remove_all(old, ec);
  if (fs::exists(target, ec)) fs::rename(target, old, ec);
  if (ec) {
    error = "cannot move the old " + target.string() + " aside: " + ec.message();
    return false;
  }
  fs::rename(building, target, ec);
  if (ec) {
    error = "cannot rename " + building.string() + ": " + ec.message();
    return false;
  }
  fs::remove_all(old, ec);
  return true;
}

}  // namespace

bool import_rollouts(const rsv::Release& release, const fs::path& source, const std::string& run, ImportReport& report,
                     std::string& error) {
  if (!valid_run_name(run, error)) return false;
  std::error_code ec;
  if (!fs::is_directory(source, ec)) {
    error = source.string() + " is not a folder";
    return false;
  }
  // Member keys by stem, and the release's splits.
  std::map<std::string, std::vector<std::string>> keys_by_stem;
  std::set<std::string> member_keys;
  for (const rsv::ReleaseItem& item : release.items) {
    for (const rsv::MemberFiles& member : item.members) {
      keys_by_stem[member.name.stem].push_back(member.key);
      member_keys.insert(member.key);
    }
  }
  std::set<std::string> splits(release.splits.begin(), release.splits.end());
  std::map<std::string, Candidate> candidates;  // by member key
  std::map<std::string, fs::path> sidecars;     // by member key
  auto match = [&](const std::string& split, const std::string& stem, std::string& key, std::string& why) {
    if (!split.empty()) {
      key = split + "/" + stem;
      if (member_keys.count(key)) return true;
      why = "no trajectory " + key + " in the release";
      return false;
    }
    auto found = keys_by_stem.find(stem);
    if (found == keys_by_stem.end()) {
      why = "no trajectory named " + stem + " in the release";
      return false;
    }
    if (found->second.size() > 1) {
      why = stem + " is in several splits; put it under its split folder";
      return false;
    }
    key = found->second.front();
    return true;
  };
  auto visit = [&](const fs::path& folder, const std::string& split, auto&& self) -> void {
    std::vector<fs::path> entries;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) entries.push_back(it->path());
    std::sort(entries.begin(), entries.end());
    for (const fs::path& path : entries) {
      std::string name = path.filename().string();
      std::string label = (split.empty() ? "" : split + "/") + name;
      std::string key, why;
      if (name.starts_with(".")) continue;
      if (fs::is_directory(path, ec)) {
        if (match(split, name, key, why)) {
          candidates[key] = {key, path, true, {}};
        } else if (split.empty() && (splits.count(name) || !keys_by_stem.count(name))) {
          self(path, name, self);
        } else {
          report.unmatched.push_back(label + "/: " + why);
        }
        continue;
      }
      if (name.ends_with(".rollout.json")) {
        if (match(split, name.substr(0, name.size() - 13), key, why)) sidecars[key] = path;
        else report.unmatched.push_back(label + ": " + why);
      } else if (name.ends_with(".mp4")) {
        if (match(split, name.substr(0, name.size() - 4), key, why)) candidates[key] = {key, path, false, {}};
        else report.unmatched.push_back(label + ": " + why);
      } else {
        report.unmatched.push_back(label + ": not an mp4, a PNG folder or a .rollout.json sidecar");
      }
    }
  };
  visit(source, "", visit);
  if (ec) {
    error = "cannot list " + source.string() + ": " + ec.message();
    return false;
  }
  report.run_folder = run_dir(release.root, run);
  nlohmann::ordered_json run_json;
  if (!read_run_json(report.run_folder, run_json, error)) return false;
  for (auto& [key, path] : sidecars) {
    if (!candidates.count(key)) report.unmatched.push_back(path.filename().string() + ": a sidecar without a rollout");
  }
  nlohmann::ordered_json& trajectories = run_json["trajectories"];
  if (!trajectories.is_object()) trajectories = nlohmann::ordered_json::object();
  for (auto& [key, candidate] : candidates) {
    fs::path base = report.run_folder / key;
    fs::create_directories(base.parent_path(), ec);
    if (ec) {
      error = "cannot create " + base.parent_path().string() + ": " + ec.message();
      return false;
    }
    std::string problem;
    int frames = 0;
    std::string sidecar_text;
    if (sidecars.count(key)) {
      RolloutSidecar parsed;
      if (!read_bytes(sidecars[key], sidecar_text, problem) || !parse_sidecar(sidecar_text, 1, parsed, problem)) {
        report.problems.push_back(sidecars[key].filename().string() + ": " + problem);
        continue;
      }
    }
    if (candidate.png_folder) {
      if (!copy_png_folder(candidate.path, base, frames, problem)) {
        report.problems.push_back(key + ": " + problem);
        continue;
      }
    } else {
      rsv::VideoFacts facts;
      std::string bytes;
      fs::path target = base;
      target += ".mp4";
      if (!rsv::probe_video_facts(candidate.path, facts, problem)) {
        report.problems.push_back(candidate.path.filename().string() + ": " + problem);
        continue;
      }
      if (!read_bytes(candidate.path, bytes, problem) || !write_file_atomically(target, bytes, problem)) {
        report.problems.push_back(key + ": " + problem);
        continue;
      }
      frames = facts.frames;
    }
    fs::path sidecar_target = base;
    sidecar_target += ".rollout.json";
    if (!sidecar_text.empty()) {
      if (!write_file_atomically(sidecar_target, sidecar_text, problem)) {
        report.problems.push_back(key + ": " + problem);
        continue;
      }
    } else {
      fs::remove(sidecar_target, ec);  // an older import's sidecar no longer describes this rollout
    }
    trajectories[key] = {{"status", "complete"}, {"frames", frames}, {"kind", candidate.png_folder ? "png" : "mp4"},
                         {"sidecar", !sidecar_text.empty()}};
    ++report.imported;
  }
  if (!run_json.contains("name")) run_json["name"] = run;
  run_json["kind"] = "import";
  run_json["source"] = fs::absolute(source).lexically_normal().string();
  if (!write_run_json(report.run_folder, run_json, error)) return false;
  for (const std::string& key : member_keys) {
    if (!find_rollout(report.run_folder, key)) report.missing.push_back(key);
  }
  return true;
}

}  // namespace idm::rsv_eval
