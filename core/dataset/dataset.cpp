#include "dataset/dataset.hpp"

#include <algorithm>

#include "gt/gesture.hpp"
#include "gt/pipeline.hpp"
#include "io/clip_reader.hpp"
#include "dataset/dataset_index.hpp"
#include "io/save_journal.hpp"

namespace idm {

const DatasetClip* Dataset::find(const std::string& key) const {
  auto it = std::lower_bound(clips.begin(), clips.end(), key, [](const DatasetClip& clip, const std::string& k) { return clip.key < k; });
  return it != clips.end() && it->key == key ? &*it : nullptr;
}

int clip_grid_frames(const DatasetClip& clip) { return clip.video ? clip.video->grid_frames : 25; }
int clip_width(const DatasetClip& clip) { return clip.video ? clip.video->width : kDefaultVideoWidth; }
int clip_height(const DatasetClip& clip) { return clip.video ? clip.video->height : kDefaultVideoHeight; }

int ClipSummary::gt_total() const {
  int total = 0;
  for (int count : gt_per_type) total += count;
  return total;
}

ClipSummary summarize_clip(const DatasetClip& clip) {
  ClipSummary summary;
  summary.tag = clip.log.tag;
  for (const Action& action : clip.canonical_gt) ++summary.gt_per_type[static_cast<size_t>(action.type)];
  return summary;
}

namespace {

std::string unfinished_save_note(const DecidedSave& save) {
  std::string files;
  for (const std::string& target : save.targets) files += (files.empty() ? "" : " and ") + target;
  std::string how = save.error.empty() ? "read as that save left them (" + std::to_string(save.pending_content.size()) + " from pending copies)"
                                       : "read as they are";
  return save.journal_names + ": an editor save was interrupted before it finished; " + (files.empty() ? "the side files" : files) +
         " are " + how + ", and the save will be completed when the editor next opens this dataset";
}

}  // namespace

bool list_dataset(const std::filesystem::path& root, Dataset& out, std::string& error, const std::atomic<bool>* cancel) {
  DatasetTree tree;
  if (!list_dataset_tree(root, tree, error, cancel)) return false;
  out.root = root;
  out.clips.clear();
  out.clips.reserve(tree.clips.size());
  for (TreeClip& entry : tree.clips) {
    DatasetClip clip;
    clip.key = std::move(entry.key);
    clip.json_path = std::move(entry.json_path);
    clip.video_path = std::move(entry.video_path);
    clip.has_video = entry.has_video;
    clip.json_stamp = entry.json_stamp;
    clip.video_stamp = entry.video_stamp;
    if (!entry.video_problem.empty()) clip.video_error = clip.video_path.filename().string() + " is " + entry.video_problem;
    if (!entry.json_problem.empty()) {
      clip.error_kind = entry.json_problem_kind;
      clip.error = entry.json_problem;
      clip.filled = true;  // nothing to read
    }
    out.clips.push_back(std::move(clip));
  }
  out.tree_findings = std::move(tree.findings);
  return true;
}

void fill_dataset_clip(DatasetClip& clip, const DatasetLoadOptions& options) {
  if (clip.error_kind.empty()) {
    std::string clip_error;
    clip.loaded = read_clip_file(clip.json_path, clip.log, clip_error);
    if (clip.loaded) {
      clip.canonical_gt = canonical_gt(clip.log, &clip.log.warnings);
      clip.summary = summarize_clip(clip);
    } else if (file_starts_with_json_array(clip.json_path)) {
      clip.error_kind = "array-clip";
      clip.error = "the top-level value is an array (a predictions file?), expected the clip's log object {start_s, end_s, actions}";
    } else {
      clip.error_kind = "unreadable";
      clip.error = clip_error;
    }
  }
  clip.filled = true;
  if (clip.has_video && options.probe_videos) {
    VideoProbe probe;
    if (probe_video(clip.video_path, kEvalFps, probe, clip.video_error)) clip.video = probe;
  }
}

void load_side_files(Dataset& out) {
  const std::filesystem::path& root = out.root;
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
      std::string origin = pending == save.pending_content.end() ? "" : " (the unfinished save's " + save.pending_names.at(name) + ")";
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
}

bool load_dataset(const std::filesystem::path& root, const DatasetLoadOptions& options, Dataset& out, std::string& error) {
  if (!list_dataset(root, out, error)) return false;
  DatasetLoadOptions logs_only = options;
  logs_only.probe_videos = false;
  for (DatasetClip& clip : out.clips) fill_dataset_clip(clip, logs_only);
  if (options.probe_videos) probe_videos_with_index(out);  // probes only what changed since the last open
  load_side_files(out);
  return true;
}

}  // namespace idm
