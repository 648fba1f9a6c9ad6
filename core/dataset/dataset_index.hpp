#pragma once
// A cache of the slow part of opening a dataset, the video probes, in
// DATASET/.idmscope/index.json: one entry per clip key with the size and mtime of its video, so
// an entry whose video changed (or vanished) is probed again. Written atomically when anything
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

struct DatasetIndex {
  std::map<std::string, IndexedVideo> videos;  // by clip key
};

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
