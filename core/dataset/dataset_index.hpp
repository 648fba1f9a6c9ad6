#pragma once
// A cache of the slow parts of opening a dataset in DATASET/.idmscope/index.json: the video
// probes (one entry per clip key with the size and mtime of its video, so an entry whose video
// changed or vanished is probed again) and what the browser shows of each clip's log (tag, GT
// counts per type, or why it cannot be read; keyed by the JSON's size and mtime). Written atomically when anything
// changed; a dataset that cannot be written simply has no cache. `summary`, `check` and
// `score --dataset` (every load_dataset that probes videos) share it.
#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dataset/dataset.hpp"
#include "dataset/dataset_tree.hpp"
#include "video/probe.hpp"

namespace idm {

constexpr const char* kDatasetIndexPath = ".idmscope/index.json";

struct IndexedVideo {
  FileStamp stamp;
  std::optional<VideoProbe> probe;
  std::string error;  // when it could not be probed
};

struct IndexedLog {
  FileStamp stamp;
  std::optional<ClipSummary> summary;  // readable
  std::string error_kind;              // else why not (DatasetClip::error_kind, error)
  std::string error;
  bool operator==(const IndexedLog&) const = default;
};

struct DatasetIndex {
  std::map<std::string, IndexedVideo> videos;  // by clip key
  std::map<std::string, IndexedLog> logs;      // by clip key
};

// What the index knows of the listed clips, taken where the stamps still match: video probes
// (or probe errors) and log summaries (or read errors; such a clip is filled: nothing more to
// read). Reads no clip file.
struct IndexUse {
  size_t videos = 0;
  size_t logs = 0;
  bool complete = false;  // every clip found current in the index, and nothing else in it
};
IndexUse apply_dataset_index(Dataset& dataset, const DatasetIndex& index);

// list_dataset, then apply_dataset_index with DATASET/.idmscope/index.json: what the browser
// lists at once (on a warm open, every column).
bool list_dataset_with_index(const std::filesystem::path& root, Dataset& out, std::string& error, IndexUse* use = nullptr,
                             const std::atomic<bool>* cancel = nullptr);

// The index of a dataset as it is now: probes of the clips probed, summaries of those filled or
// summarised. Pure; for a task that writes it after filling a dataset in the background.
DatasetIndex index_of_dataset(const std::vector<DatasetClip>& clips);

// A missing index reads as empty (true); an unreadable or malformed one as empty with error set.
bool read_dataset_index(const std::filesystem::path& root, DatasetIndex& out, std::string& error);
bool write_dataset_index(const std::filesystem::path& root, const DatasetIndex& index, std::string& error);

struct IndexedProbeStats {
  size_t reused = 0;   // probes taken from the index
  size_t probed = 0;   // videos probed now (new or changed)
  bool written = false;
  bool cancelled = false;  // stopped early: the index is left as it was
};

// For a caller that runs the probes as a background task (the viewer, later): progress after
// each clip, and a flag that stops the work between clips. Both optional.
struct ProbeProgress {
  std::function<void(size_t done, size_t total)> on_clip;
  const std::atomic<bool>* cancel = nullptr;
};

// Probes every clip's video that has one, taking unchanged ones (same size and mtime) from the
// index and writing the index back when it changed. With list_dataset and fill_dataset_clip
// (logs only) this is load_dataset in steps: list first, fill later.
IndexedProbeStats probe_videos_with_index(Dataset& dataset, const ProbeProgress& progress = {});

}  // namespace idm
