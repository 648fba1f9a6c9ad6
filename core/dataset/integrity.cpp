#include "dataset/integrity.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "gt/gesture.hpp"
#include "gt/overrides.hpp"
#include "gt/pipeline.hpp"
#include "gt/key_names.hpp"

namespace idm {

namespace {

std::string seconds_text(double ts_us, double start_s) {
  char text[48];
  std::snprintf(text, sizeof text, "%.3f s", (ts_us - start_s * 1e6) / 1e6);
  return text;
}

// Stuck keys/buttons and releases without a press, from the raw log in time order.
void check_holds(const DatasetClip& clip, std::vector<Finding>& out) {
  std::vector<const RawEvent*> sorted;
  for (const RawEvent& event : clip.log.events) sorted.push_back(&event);
  std::stable_sort(sorted.begin(), sorted.end(), [](const RawEvent* a, const RawEvent* b) { return a->ts_us < b->ts_us; });
  std::map<std::string, double> held;  // "key Shift" / "button Left" -> press time
  std::map<std::string, int> orphan_releases;
  for (const RawEvent* event : sorted) {
    bool is_key = event->kind == EventKind::KeyPress || event->kind == EventKind::KeyRelease;
    bool is_button = event->kind == EventKind::MousePress || event->kind == EventKind::MouseRelease;
    if (event->kind == EventKind::ContextChanged && event->uncaptured) {
      held.clear();
      continue;
    }
    if ((!is_key && !is_button) || !event->payload_valid) continue;
    std::string name = (is_key ? "key " + map_key_name(event->name) : "button " + event->name);
    bool press = event->kind == EventKind::KeyPress || event->kind == EventKind::MousePress;
    if (press) held.try_emplace(name, event->ts_us);
    else if (held.erase(name) == 0) ++orphan_releases[name];
  }
  for (const auto& [name, press_us] : held) {
    out.push_back({Severity::Note, clip.key, "stuck-key",
                   name + " pressed at " + seconds_text(press_us, clip.log.start_s) + " is never released in this clip"});
  }
  for (const auto& [name, count] : orphan_releases) {
    out.push_back({Severity::Note, clip.key, "release-without-press",
                   name + " released " + std::to_string(count) + "x without a press in this clip (held across the clip start?)"});
  }
}

void check_times(const DatasetClip& clip, std::vector<Finding>& out) {
  const ClipLog& log = clip.log;
  int outside = 0, near_boundary = 0;
  std::string first_outside, first_near;
  for (const RawEvent& event : log.events) {
    double relative_us = event.ts_us - log.start_s * 1e6;
    double end_us = log.has_end ? (log.end_s - log.start_s) * 1e6 : 5e6;
    if (relative_us < 0 || relative_us > end_us) {
      if (outside++ == 0) first_outside = std::string(event_kind_name(event.kind)) + " at " + seconds_text(event.ts_us, log.start_s);
    }
    if (event.kind == EventKind::MouseMove || event.kind == EventKind::Other || event.kind == EventKind::ContextChanged) continue;
    // Frame boundaries sit where relative time * fps crosses k + 0.5 (the rounding flips).
    double grid_position = relative_us / 1e6 * kEvalFps;
    double distance_us = std::fabs(grid_position - std::floor(grid_position) - 0.5) / kEvalFps * 1e6;
    if (distance_us < kNearBoundaryUs) {
      if (near_boundary++ == 0) first_near = std::string(event_kind_name(event.kind)) + " at " + seconds_text(event.ts_us, log.start_s);
    }
  }
  if (outside > 0) {
    out.push_back({Severity::Note, clip.key, "outside-clip",
                   std::to_string(outside) + " events outside [start_s, end_s] (first: " + first_outside + ")"});
  }
  if (near_boundary > 0) {
    out.push_back({Severity::Note, clip.key, "near-boundary",
                   std::to_string(near_boundary) + " events within 5 ms of a grid frame boundary (first: " + first_near + ")"});
  }
}

// A log whose end is before its start, and GT items that fall outside the video's grid (a
// wrong start_s moves every event; the scorer would count them all as misses).
void check_clip_span(const DatasetClip& clip, std::vector<Finding>& out) {
  const ClipLog& log = clip.log;
  if (log.has_end && log.end_s < log.start_s) {
    char text[160];
    std::snprintf(text, sizeof text, "end_s %.6g is before start_s %.6g (the clip's time span is negative)", log.end_s, log.start_s);
    out.push_back({Severity::Problem, clip.key, "end-before-start", text});
  }
  if (!clip.video || clip.canonical_gt.empty()) return;
  int grid_frames = clip.video->grid_frames;
  size_t outside = 0;
  const Action* first = nullptr;
  for (const Action& action : clip.canonical_gt) {
    if (action.frame >= 0 && action.frame < grid_frames) continue;
    if (outside++ == 0) first = &action;
  }
  if (outside == 0) return;
  char start[48];
  std::snprintf(start, sizeof start, "%.6g", log.start_s);
  std::string message = std::to_string(outside) + " of " + std::to_string(clip.canonical_gt.size()) + " GT items fall outside the video's " +
                        std::to_string(grid_frames) + " grid frames (first: " + action_type_name(first->type) + " at F" +
                        std::to_string(first->frame) + "); no frame of the video shows them (misses under the reference profile, dropped by windowed ones)";
  if (outside == clip.canonical_gt.size()) message += "; every item is outside: is start_s " + std::string(start) + " right?";
  out.push_back({Severity::Problem, clip.key, "outside-video", message});
}

// Compares a provided gesture file's entries for one clip with the computed §8 data.
void check_gesture(const DatasetClip& clip, const GestureFile& file, const char* file_name, bool exp_bins,
                   std::vector<Finding>& out) {
  auto provided = file.clips.find(clip.key);
  if (!file.present || provided == file.clips.end()) return;
  GestureGt computed = compute_gesture_gt(clip.log, clip_width(clip), clip_height(clip), kEvalFps);
  std::map<std::pair<std::string, int>, std::string> expected;
  for (const auto& move : computed.moves) expected[{"MouseMove", move.frame}] = gesture_move_details(move, exp_bins);
  for (const auto& scroll : computed.scrolls) expected[{"MouseScroll", scroll.frame}] = gesture_scroll_details(scroll, exp_bins);
  std::map<std::pair<std::string, int>, std::string> given;
  for (const auto& entry : provided->second) given[{entry.type, entry.frame}] = entry.details;
  int differences = 0;
  std::string first;
  auto note = [&](const std::string& what) {
    if (differences++ == 0) first = what;
  };
  auto normalized = [](std::string text) {
    text.erase(std::remove(text.begin(), text.end(), ' '), text.end());
    return text;
  };
  for (const auto& [key, details] : expected) {
    auto it = given.find(key);
    if (it == given.end()) note(key.first + " F" + std::to_string(key.second) + " missing (computed " + details + ")");
    else if (normalized(it->second) != details) note(key.first + " F" + std::to_string(key.second) + " is " + it->second + ", computed " + details);
  }
  for (const auto& [key, details] : given) {
    if (!expected.count(key)) note(key.first + " F" + std::to_string(key.second) + " = " + details + " has no such events in the log");
  }
  if (differences > 0) {
    out.push_back({Severity::Problem, clip.key, "gesture-mismatch",
                   std::string(file_name) + " disagrees with the log in " + std::to_string(differences) + " entries (first: " + first + ")"});
  }
}

}  // namespace

std::vector<Finding> check_dataset(const Dataset& dataset) { return check_dataset_clips(dataset, dataset.clips); }

std::vector<Finding> check_dataset_clips(const Dataset& dataset, const std::vector<DatasetClip>& clips) {
  std::vector<Finding> out;
  for (const std::string& error : dataset.side_file_errors) out.push_back({Severity::Problem, "", "unreadable", error});
  for (const std::string& note : dataset.side_file_notes) out.push_back({Severity::Note, "", "unfinished-save", note});
  for (const auto* warnings : {&dataset.annotations.warnings, &dataset.overrides.warnings, &dataset.gesture_exp.warnings,
                               &dataset.gesture_norm.warnings}) {
    for (const std::string& warning : *warnings) out.push_back({Severity::Problem, "", "malformed", warning});
  }
  std::set<std::string> known;
  for (const DatasetClip& clip : clips) known.insert(clip.key);
  auto unknown_clips = [&](const auto& clips, const char* file_name) {
    for (const auto& [key, value] : clips) {
      if (!known.count(key)) out.push_back({Severity::Note, key, "unknown-clip", std::string(file_name) + " has entries for a clip not in the dataset (kept as is)"});
    }
  };
  unknown_clips(dataset.annotations.clips, "annotations.json");
  unknown_clips(dataset.overrides.clips, "gt_overrides.json");

  for (const TreeFinding& finding : dataset.tree_findings) {
    out.push_back({finding.problem ? Severity::Problem : Severity::Note, "", finding.kind, finding.path + ": " + finding.message});
  }

  for (const DatasetClip& clip : clips) {
    if (clip.has_video && !clip.video_error.empty()) {
      out.push_back({Severity::Problem, clip.key, "bad-video", clip.video_path.filename().string() + ": " + clip.video_error});
    } else if (!clip.has_video && !clip.video_error.empty()) {
      out.push_back({Severity::Problem, clip.key, "bad-video", clip.video_error});  // names the file (a FIFO, a dangling link)
    } else if (!clip.has_video) {
      out.push_back({Severity::Problem, clip.key, "no-video", "no " + clip.video_path.filename().string() + " beside the JSON"});
    }
    if (!clip.loaded) {
      std::string kind = clip.error_kind.empty() ? "unreadable" : clip.error_kind;
      std::string where = kind == "no-json" ? "" : clip.json_path.filename().string() + ": ";
      out.push_back({Severity::Problem, clip.key, kind, where + clip.error});
      continue;
    }
    check_clip_span(clip, out);
    for (const std::string& warning : clip.log.warnings) {
      bool harmless = warning.find("byte order mark") != std::string::npos;
      out.push_back({harmless ? Severity::Note : Severity::Problem, clip.key, harmless ? "bom" : "malformed-event",
                     clip.json_path.filename().string() + ": " + warning});
    }
    const ClipOverrides* overrides = nullptr;
    if (auto it = dataset.overrides.clips.find(clip.key); it != dataset.overrides.clips.end()) overrides = &it->second;
    OverriddenGt overridden = apply_overrides(clip.canonical_gt, overrides);
    for (const std::string& warning : overridden.warnings) {
      if (warning.find(" index ") != std::string::npos) out.push_back({Severity::Problem, clip.key, "index-out-of-range", "gt_overrides.json: " + warning});
    }
    if (auto it = dataset.annotations.clips.find(clip.key); it != dataset.annotations.clips.end()) {
      ResolvedLabels labels = resolve_labels(&it->second, overridden.canonical_count + overridden.addition_count);
      for (const std::string& warning : labels.warnings) {
        bool range = warning.find(" index ") != std::string::npos;
        out.push_back({Severity::Problem, clip.key, range ? "index-out-of-range" : "bad-label", "annotations.json: " + warning});
      }
    }
    check_gesture(clip, dataset.gesture_norm, "gesture_gt_norm.json", false, out);
    check_gesture(clip, dataset.gesture_exp, "gesture_gt_exp.json", true, out);
    check_holds(clip, out);
    check_times(clip, out);
  }
  return out;
}

bool affects_scores(const Finding& finding) {
  static const std::set<std::string> kinds = {"unreadable",       "not-a-file",    "no-json",      "array-clip", "unlistable-folder",
                                              "bad-video",        "outside-video", "end-before-start"};
  return finding.severity == Severity::Problem && kinds.count(finding.kind) > 0;
}

std::string finding_text(const Finding& finding) {
  return finding.clip_key.empty() ? finding.message : finding.clip_key + ": " + finding.message;
}

}  // namespace idm
