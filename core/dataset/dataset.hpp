#pragma once
// A dataset on disk (spec §1): clips found by clip_*.json with a sibling .mp4, their logs,
// and the side files. One bad clip never stops the rest from loading. The tree is listed by
// io/dataset_tree.hpp: a clip_*.json without its .mp4 is still listed (so `check` can report
// the missing video) unless its top-level value is an array (a per-clip predictions file,
// which may live inside the dataset); a clip_*.mp4 without its JSON, or a clip JSON that is
// not a regular file, is listed as a clip that could not be read, so nothing vanishes.
#include <array>
#include <atomic>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "dataset/dataset_tree.hpp"
#include "dataset/side_files.hpp"
#include "model/actions.hpp"
#include "model/raw_event.hpp"
#include "video/probe.hpp"

namespace idm {

// What the browser shows of a clip without its log: kept in the probe index by the JSON's size
// and mtime, so a second open lists every column without reading the logs again.
struct ClipSummary {
  std::string tag;
  std::array<int, kActionTypeCount> gt_per_type{};  // canonical GT actions of each type
  int gt_total() const;
  bool operator==(const ClipSummary&) const = default;
};

struct DatasetClip {
  std::string key;                       // relative path without extension, '/' separators
  std::filesystem::path json_path;
  std::filesystem::path video_path;
  bool has_video = false;
  bool loaded = false;                   // the JSON could be read
  std::string error;                     // why it could not (names the JSON location)
  std::string error_kind;                // "unreadable", "not-a-file", "no-json", "array-clip"
  ClipLog log;
  std::vector<Action> canonical_gt;      // coalesce(filter(log, 5 fps))
  std::optional<VideoProbe> video;       // when probed
  std::string video_error;
  // False from list_dataset until fill_dataset_clip has run (the log read or its error known).
  bool filled = false;
  std::optional<ClipSummary> summary;    // from the log once filled, or from the index before
  FileStamp json_stamp;                  // when listed (the index's keys)
  FileStamp video_stamp;
};

// The summary of a filled, readable clip's log.
ClipSummary summarize_clip(const DatasetClip& clip);

struct Dataset {
  std::filesystem::path root;
  std::vector<DatasetClip> clips;        // sorted by key
  AnnotationsFile annotations;
  OverridesFile overrides;
  GestureFile gesture_exp;
  GestureFile gesture_norm;
  std::vector<std::string> side_file_errors;  // "annotations.json: ..." when unusable
  std::vector<std::string> side_file_notes;   // an unfinished editor save, read as it decided (io/save_journal.hpp)
  std::vector<TreeFinding> tree_findings;     // symlink loops, unlistable folders, broken links
  const DatasetClip* find(const std::string& key) const;
};

struct DatasetLoadOptions {
  bool probe_videos = true;
};

// The three steps of load_dataset, for callers that show the list before the clips are read.
// list_dataset: clips from the folder tree only (keys, paths, problems found in the tree such
// as a FIFO or a missing JSON, which leave the clip unloaded with error set); reads no clip.
bool list_dataset(const std::filesystem::path& root, Dataset& out, std::string& error,
                  const std::atomic<bool>* cancel = nullptr);
// Reads one listed clip's JSON (and probes its video when asked). Touches only that clip.
void fill_dataset_clip(DatasetClip& clip, const DatasetLoadOptions& options);
// Reads annotations, overrides and gesture files (an unfinished editor save as it decided).
void load_side_files(Dataset& dataset);

// False (with error) only when root is not a readable folder. Writes nothing but the probe
// cache DATASET/.idmscope/index.json when probing videos (io/dataset_index.hpp): an editor save
// interrupted after its commit point reads as the pair it saved (see side_file_notes).
bool load_dataset(const std::filesystem::path& root, const DatasetLoadOptions& options, Dataset& out, std::string& error);

// Video grid length and size used for scoring (25 and 1728x1080 when there is no video).
int clip_grid_frames(const DatasetClip& clip);
int clip_width(const DatasetClip& clip);
int clip_height(const DatasetClip& clip);

}  // namespace idm
