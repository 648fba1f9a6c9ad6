#pragma once
// A cache of the slow part of opening a dataset, the video probes, in
// DATASET/.idmscope/index.json: one entry per clip key with the size and mtime of its video, so
// an entry whose video changed (or vanished) is probed again. Written atomically when anything
// changed; a dataset that cannot be written simply has no cache. `summary`, `check` and
// `score --dataset` (every load_dataset that probes videos) share it.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "io/dataset.hpp"
#include "io/dataset_tree.hpp"
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
};

// Probes every clip's video that has one, taking unchanged ones from the index and writing the
// index back when it changed. video_stamps is parallel to dataset.clips.
IndexedProbeStats probe_videos_with_index(Dataset& dataset, const std::vector<FileStamp>& video_stamps);

}  // namespace idm
