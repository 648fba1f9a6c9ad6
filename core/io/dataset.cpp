#include "io/dataset.hpp"
#include "io/frame_io_guard.hpp"

#include <algorithm>
#include <cstdio>

#include "gt/gesture.hpp"
#include "gt/pipeline.hpp"
#include "io/clip_reader.hpp"
#include "io/save_journal.hpp"

namespace idm {

std::string clip_key_of(const std::filesystem::path& root, const std::filesystem::path& json_path) {
  std::filesystem::path relative = json_path.lexically_relative(root);
  relative.replace_extension();
  return relative.generic_string();
}

const DatasetClip* Dataset::find(const std::string& key) const {
  auto it = std::lower_bound(clips.begin(), clips.end(), key, [](const DatasetClip& clip, const std::string& k) { return clip.key < k; });
  return it != clips.end() && it->key == key ? &*it : nullptr;
}

int clip_grid_frames(const DatasetClip& clip) { return clip.video ? clip.video->grid_frames : 25; }
int clip_width(const DatasetClip& clip) { return clip.video ? clip.video->width : kDefaultVideoWidth; }
int clip_height(const DatasetClip& clip) { return clip.video ? clip.video->height : kDefaultVideoHeight; }

namespace {

// Clip logs are objects; prediction files (which may sit inside the dataset) are arrays.
bool looks_like_json_array(const std::filesystem::path& path) {
  note_file_access("read", path);
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) return false;
  int c;
  while ((c = std::fgetc(file)) != EOF && (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0xEF || c == 0xBB || c == 0xBF)) {
  }
  std::fclose(file);
  return c == '[';
}

std::string unfinished_save_note(const DecidedSave& save) {
  std::string files;
  for (const std::string& target : save.targets) files += (files.empty() ? "" : " and ") + target;
  std::string how = save.error.empty() ? "read as that save left them (" + std::to_string(save.pending_content.size()) + " from pending copies)"
                                       : "read as they are";
  return std::string(kSaveJournalName) + ": an editor save was interrupted before it finished; " + (files.empty() ? "the side files" : files) +
         " are " + how + ", and the save will be completed when the editor next opens this dataset";
}

}  // namespace

bool load_dataset(const std::filesystem::path& root, const DatasetLoadOptions& options, Dataset& out, std::string& error) {
  std::error_code code;
  if (!std::filesystem::is_directory(root, code)) {
    error = root.string() + ": not a folder";
    return false;
  }
  out.root = root;
  std::filesystem::recursive_directory_iterator walker(root, std::filesystem::directory_options::skip_permission_denied, code);
  if (code) {
    error = root.string() + ": cannot list: " + code.message();
    return false;
  }
  for (auto it = walker; it != std::filesystem::recursive_directory_iterator(); it.increment(code)) {
    if (code) break;
    const auto& path = it->path();
    std::string name = path.filename().string();
    if (name == ".idmscope" && it->is_directory(code)) {  // idmscope's own data (prediction store)
      it.disable_recursion_pending();
      continue;
    }
    if (!name.starts_with("clip_") || path.extension() != ".json" || !it->is_regular_file(code)) continue;
    if (looks_like_json_array(path)) continue;  // a per-clip predictions file, not a clip log
    DatasetClip clip;
    clip.json_path = path;
    clip.key = clip_key_of(root, path);
    clip.video_path = std::filesystem::path(path).replace_extension(".mp4");
    clip.has_video = std::filesystem::is_regular_file(clip.video_path, code);
    out.clips.push_back(std::move(clip));
  }
  std::sort(out.clips.begin(), out.clips.end(), [](const DatasetClip& a, const DatasetClip& b) { return a.key < b.key; });

  for (DatasetClip& clip : out.clips) {
    std::string clip_error;
    clip.loaded = read_clip_file(clip.json_path, clip.log, clip_error);
    if (!clip.loaded) clip.error = clip_error;
    else clip.canonical_gt = canonical_gt(clip.log, &clip.log.warnings);
    if (clip.has_video && options.probe_videos) {
      VideoProbe probe;
      if (probe_video(clip.video_path, kEvalFps, probe, clip.video_error)) clip.video = probe;
    }
  }

  // An editor save interrupted between its renames: read the pair it decided on, writing nothing
  // (the editor completes the save on its next open).
  DecidedSave save = read_decided_save(root);
  if (!save.error.empty()) out.side_file_errors.push_back(save.error);
  if (save.unfinished) out.side_file_notes.push_back(unfinished_save_note(save));
  auto side = [&](const char* name, auto reader, auto parser, auto& file) {
    std::string side_error;
    auto pending = save.pending_content.find(name);
    bool ok = pending == save.pending_content.end() ? reader(root / name, file, side_error) : parser(pending->second, name, file, side_error);
    if (!ok) {
      std::string origin = pending == save.pending_content.end() ? "" : " (the unfinished save's " + pending_file_name(name) + ")";
      out.side_file_errors.push_back(std::string(name) + origin + ": " + side_error);
    }
  };
  side("annotations.json", read_annotations, parse_annotations_text, out.annotations);
  side("gt_overrides.json", read_overrides, parse_overrides_text, out.overrides);
  auto gesture = [&](const char* name, GestureFile& file) {
    std::string side_error;
    if (!read_gesture_file(root / name, file, side_error)) out.side_file_errors.push_back(std::string(name) + ": " + side_error);
  };
  gesture("gesture_gt_exp.json", out.gesture_exp);
  gesture("gesture_gt_norm.json", out.gesture_norm);
  return true;
}

}  // namespace idm
