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

nlohmann::json log_json(const IndexedLog& log) {
  nlohmann::json entry{{"stamp", stamp_json(log.stamp)}};
  if (log.summary) {
    entry["tag"] = log.summary->tag;
    entry["gt"] = log.summary->gt_per_type;
  } else {
    entry["error_kind"] = log.error_kind;
    entry["error"] = log.error;
  }
  return entry;
}

bool log_from(const nlohmann::json& entry, IndexedLog& out) {
  if (!entry.is_object() || !entry.contains("stamp") || !stamp_from(entry["stamp"], out.stamp)) return false;
  if (entry.contains("gt")) {
    const nlohmann::json& gt = entry["gt"];
    if (!gt.is_array() || gt.size() != kActionTypeCount || !entry.contains("tag") || !entry["tag"].is_string()) return false;
    ClipSummary summary;
    summary.tag = entry["tag"].get<std::string>();
    for (size_t type = 0; type < gt.size(); ++type) {
      if (!gt[type].is_number_unsigned() || gt[type].get<uint64_t>() > 1000000000ull) return false;
      summary.gt_per_type[type] = gt[type].get<int>();
    }
    out.summary = std::move(summary);
    return true;
  }
  if (!entry.contains("error_kind") || !entry["error_kind"].is_string() || !entry.contains("error") || !entry["error"].is_string()) return false;
  out.error_kind = entry["error_kind"].get<std::string>();
  out.error = entry["error"].get<std::string>();
  return !out.error_kind.empty();
}

std::optional<IndexedLog> log_entry_of(const DatasetClip& clip) {
  IndexedLog log;
  log.stamp = clip.json_stamp;
  if (clip.filled && clip.loaded) log.summary = summarize_clip(clip);
  else if (clip.filled && (clip.error_kind == "unreadable" || clip.error_kind == "array-clip")) {  // not the tree's findings
    log.error_kind = clip.error_kind;
    log.error = clip.error;
  } else if (clip.summary) log.summary = clip.summary;
  else return std::nullopt;
  return log;
}

}  // namespace

IndexUse apply_dataset_index(Dataset& dataset, const DatasetIndex& index) {
  IndexUse use;
  size_t want_videos = 0, want_logs = 0;
  for (DatasetClip& clip : dataset.clips) {
    want_videos += clip.has_video;
    want_logs += !clip.filled;
    if (clip.has_video && !clip.video) {
      auto video = index.videos.find(clip.key);
      if (video != index.videos.end() && video->second.stamp == clip.video_stamp) {
        if (video->second.probe) clip.video = video->second.probe;
        else clip.video_error = video->second.error;
        ++use.videos;
      }
    }
    if (clip.filled) continue;
    auto log = index.logs.find(clip.key);
    if (log == index.logs.end() || log->second.stamp != clip.json_stamp) continue;
    if (log->second.summary) clip.summary = log->second.summary;
    else {
      clip.error_kind = log->second.error_kind;
      clip.error = log->second.error;
      clip.filled = true;
    }
    ++use.logs;
  }
  use.complete = use.videos == want_videos && use.logs == want_logs && index.videos.size() == use.videos && index.logs.size() == use.logs;
  return use;
}

bool list_dataset_with_index(const std::filesystem::path& root, Dataset& out, std::string& error, IndexUse* use,
                             const std::atomic<bool>* cancel) {
  if (!list_dataset(root, out, error, cancel)) return false;
  DatasetIndex index;
  std::string index_error;
  read_dataset_index(root, index, index_error);  // an unusable index is no index: the clips are read
  IndexUse used = apply_dataset_index(out, index);
  if (use) *use = used;
  return true;
}

DatasetIndex index_of_dataset(const std::vector<DatasetClip>& clips) {
  DatasetIndex index;
  for (const DatasetClip& clip : clips) {
    if (clip.has_video && (clip.video || !clip.video_error.empty())) {
      IndexedVideo video;
      video.stamp = clip.video_stamp;
      video.probe = clip.video;
      if (!clip.video) video.error = clip.video_error;
      index.videos.emplace(clip.key, std::move(video));
    }
    if (auto log = log_entry_of(clip)) index.logs.emplace(clip.key, std::move(*log));
  }
  return index;
}

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
  if (index.contains("logs") && index["logs"].is_object()) {  // absent in an index of probes only
    for (const auto& [key, entry] : index["logs"].items()) {
      IndexedLog log;
      if (log_from(entry, log)) out.logs.emplace(key, std::move(log));
    }
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
  nlohmann::json logs = nlohmann::json::object();
  for (const auto& [key, log] : index.logs) logs[key] = log_json(log);
  nlohmann::json document{{"version", kIndexVersion}, {"videos", std::move(videos)}, {"logs", std::move(logs)}};
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
  // What the browser shows of each log read here, so the viewer's next open lists it unread.
  for (const DatasetClip& clip : dataset.clips) {
    if (auto log = log_entry_of(clip)) next.logs.emplace(clip.key, std::move(*log));
  }
  changed = changed || next.videos.size() != previous.videos.size() || next.logs != previous.logs;  // clips gone since
  if (changed) stats.written = write_dataset_index(dataset.root, next, error);  // a read-only dataset keeps no cache
  return stats;
}

}  // namespace idm
