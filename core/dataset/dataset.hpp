#pragma once
// A dataset on disk (spec §1): clips found by clip_*.json with a sibling .mp4, their logs,
// and the side files. One bad clip never stops the rest from loading. A clip_*.json without
// its .mp4 is still listed (so `check` can report the missing video) unless its top-level
// value is an array: that is a per-clip predictions file, which may live inside the dataset.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "dataset/side_files.hpp"
#include "model/actions.hpp"
#include "model/raw_event.hpp"
#include "video/probe.hpp"

namespace idm {

struct DatasetClip {
  std::string key;                       // relative path without extension, '/' separators
  std::filesystem::path json_path;
  std::filesystem::path video_path;
  bool has_video = false;
  bool loaded = false;                   // the JSON could be read
  std::string error;                     // why it could not (names the JSON location)
  ClipLog log;
  std::vector<Action> canonical_gt;      // coalesce(filter(log, 5 fps))
  std::optional<VideoProbe> video;       // when probed
  std::string video_error;
};

struct Dataset {
  std::filesystem::path root;
  std::vector<DatasetClip> clips;        // sorted by key
  AnnotationsFile annotations;
  OverridesFile overrides;
  GestureFile gesture_exp;
  GestureFile gesture_norm;
  std::vector<std::string> side_file_errors;  // "annotations.json: ..." when unusable
  std::vector<std::string> side_file_notes;   // an unfinished editor save, read as it decided (io/save_journal.hpp)
  const DatasetClip* find(const std::string& key) const;
};

struct DatasetLoadOptions {
  bool probe_videos = true;
};

// False (with error) only when root is not a readable folder. Writes nothing: an editor save
// interrupted after its commit point reads as the pair it saved (see side_file_notes).
bool load_dataset(const std::filesystem::path& root, const DatasetLoadOptions& options, Dataset& out, std::string& error);

// The clip key of a clip JSON path relative to the dataset root.
std::string clip_key_of(const std::filesystem::path& root, const std::filesystem::path& json_path);

// Video grid length and size used for scoring (25 and 1728x1080 when there is no video).
int clip_grid_frames(const DatasetClip& clip);
int clip_width(const DatasetClip& clip);
int clip_height(const DatasetClip& clip);

}  // namespace idm
