#include "dataset/dataset_index.hpp"

#include <nlohmann/json.hpp>

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

#include "gt/pipeline.hpp"
#include "io/atomic_write.hpp"

namespace idm {

namespace {

constexpr int kIndexVersion = 1;
constexpr uintmax_t kMaxIndexBytes = 256ull << 20;

nlohmann::json stamp_json(const FileStamp& stamp) { return nlohmann::json::array({stamp.size_bytes, stamp.mtime_ns}); }

bool stamp_from(const nlohmann::json& value, FileStamp& out) {
  if (!value.is_array() || value.size() != 2 || !value[0].is_number_unsigned() || !value[1].is_number_integer()) return false;
  out.size_bytes = value[0].get<uint64_t>();
  out.mtime_ns = value[1].get<int64_t>();
  return true;
}

}  // namespace

bool read_dataset_index(const std::filesystem::path& root, DatasetIndex& out, std::string& error) {
  out = DatasetIndex{};
  std::filesystem::path path = root / kDatasetIndexPath;
  std::error_code code;
  auto status = std::filesystem::status(path, code);
  if (code || !std::filesystem::exists(status)) return true;  // no cache yet
  if (!std::filesystem::is_regular_file(status) || std::filesystem::file_size(path, code) > kMaxIndexBytes) {
    error = path.string() + ": not a regular file of reasonable size; ignored";
    return false;
  }
  std::ifstream file(path, std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  nlohmann::json index = nlohmann::json::parse(text.str(), nullptr, false);
  if (index.is_discarded() || !index.is_object() || index.value("version", 0) != kIndexVersion || !index.contains("videos") ||
      !index["videos"].is_object()) {
    error = path.string() + ": unreadable or of another version; rebuilt";
    return false;
  }
  for (const auto& [key, entry] : index["videos"].items()) {
    IndexedVideo video;
    if (!entry.is_object() || !entry.contains("stamp") || !stamp_from(entry["stamp"], video.stamp)) continue;
    if (entry.contains("probe") && entry["probe"].is_object()) {
      const nlohmann::json& probe = entry["probe"];
      VideoProbe value;
      value.width = probe.value("width", 0);
      value.height = probe.value("height", 0);
      value.grid_frames = probe.value("grid_frames", 0);
      value.duration_s = probe.value("duration_s", 0.0);
      value.packets = probe.value("packets", 0);
      value.codec = probe.value("codec", "");
      if (value.grid_frames <= 0 || value.width <= 0 || value.height <= 0) continue;  // not something probe_video returns
      video.probe = value;
    } else if (entry.contains("error") && entry["error"].is_string()) {
      video.error = entry["error"].get<std::string>();
    } else {
      continue;
    }
    out.videos.emplace(key, std::move(video));
  }
  return true;
}

bool write_dataset_index(const std::filesystem::path& root, const DatasetIndex& index, std::string& error) {
  nlohmann::json videos = nlohmann::json::object();
  for (const auto& [key, video] : index.videos) {
    nlohmann::json entry{{"stamp", stamp_json(video.stamp)}};
    if (video.probe) {
      entry["probe"] = {{"width", video.probe->width},         {"height", video.probe->height},
                        {"grid_frames", video.probe->grid_frames}, {"duration_s", video.probe->duration_s},
                        {"packets", video.probe->packets},     {"codec", video.probe->codec}};
    } else {
      entry["error"] = video.error;
    }
    videos[key] = std::move(entry);
  }
  nlohmann::json document{{"version", kIndexVersion}, {"videos", std::move(videos)}};
  std::filesystem::path path = root / kDatasetIndexPath;
  std::error_code code;
  std::filesystem::create_directories(path.parent_path(), code);
  if (code) {
    error = "cannot create " + path.parent_path().string() + ": " + code.message();
    return false;
  }
  return write_file_atomically(path, document.dump() + "\n", error);
}

IndexedProbeStats probe_videos_with_index(Dataset& dataset, const ProbeProgress& progress) {
  IndexedProbeStats stats;
  DatasetIndex previous, next;
  std::string error;
  bool readable = read_dataset_index(dataset.root, previous, error);
  bool changed = !readable;
  for (size_t i = 0; i < dataset.clips.size(); ++i) {
    if (progress.cancel && progress.cancel->load(std::memory_order_relaxed)) {
      stats.cancelled = true;
      return stats;
    }
    if (progress.on_clip) progress.on_clip(i, dataset.clips.size());
    DatasetClip& clip = dataset.clips[i];
    if (!clip.has_video) continue;
    struct stat info {};
    if (::stat(clip.video_path.c_str(), &info) != 0) {  // gone since it was listed
      clip.has_video = false;
      clip.video_error = clip.video_path.filename().string() + ": " + std::strerror(errno);
      continue;
    }
    FileStamp stamp{static_cast<uint64_t>(info.st_size), static_cast<int64_t>(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec};
    auto cached = previous.videos.find(clip.key);
    IndexedVideo video;
    if (cached != previous.videos.end() && cached->second.stamp == stamp) {
      video = cached->second;
      ++stats.reused;
    } else {
      video.stamp = stamp;
      VideoProbe probe;
      if (probe_video(clip.video_path, kEvalFps, probe, video.error)) video.probe = probe;
      ++stats.probed;
      changed = true;
    }
    if (video.probe) clip.video = video.probe;
    else clip.video_error = video.error;
    next.videos.emplace(clip.key, std::move(video));
  }
  changed = changed || next.videos.size() != previous.videos.size();  // clips gone since
  if (changed) stats.written = write_dataset_index(dataset.root, next, error);  // a read-only dataset keeps no cache
  return stats;
}

}  // namespace idm
