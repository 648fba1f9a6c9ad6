#pragma once
// Finds the clips of a dataset from its folder tree alone: clip_*.json and clip_*.mp4 names,
// following symlinked folders once (a link back to an enclosing folder is reported, not
// followed), and refusing special files (FIFOs, devices, sockets) without opening them.
// Nothing here reads a clip's content except the first bytes of a clip JSON that has no
// video beside it (an array there is a per-clip predictions file, not a clip).
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace idm {

// Size and modification time of a file (after following links), for cache keys.
struct FileStamp {
  uint64_t size_bytes = 0;
  int64_t mtime_ns = 0;
  bool operator==(const FileStamp&) const = default;
};

struct TreeClip {
  std::string key;                      // relative path without extension, '/' separators
  std::filesystem::path json_path;
  std::filesystem::path video_path;
  bool has_video = false;               // a regular file (after links) beside the JSON
  std::string video_problem;            // why a clip_X.mp4 there is not usable ("a FIFO", ...)
  // Empty when the JSON is a regular file worth reading; otherwise the stable kind
  // ("not-a-file", "no-json") and a sentence saying what is wrong.
  std::string json_problem_kind;
  std::string json_problem;
  FileStamp json_stamp;
  FileStamp video_stamp;
};

// Something in the tree that is not a clip but that the user should hear about.
struct TreeFinding {
  bool problem = false;                 // false: a note
  std::string kind;                     // "symlink-loop", "unlistable-folder", ...
  std::string path;                     // relative to the root, '/' separators
  std::string message;
};

struct DatasetTree {
  std::filesystem::path root;
  std::vector<TreeClip> clips;          // sorted by key
  std::vector<TreeFinding> findings;
  size_t folders_listed = 0;
};

// False (with error) when root is not a listable folder or `cancel` became true.
bool list_dataset_tree(const std::filesystem::path& root, DatasetTree& out, std::string& error,
                       const std::atomic<bool>* cancel = nullptr);

// The clip key of a clip JSON path relative to the dataset root.
std::string clip_key_of(const std::filesystem::path& root, const std::filesystem::path& json_path);

// Whether the first non-blank byte of a regular file is '[' (a per-clip predictions file may
// sit inside a dataset). Reads a few bytes; a file that is not regular reads as false.
bool file_starts_with_json_array(const std::filesystem::path& path);

// "a FIFO", "a character device", ... for a file type that must never be read.
const char* special_file_phrase(std::filesystem::file_type type);

}  // namespace idm
