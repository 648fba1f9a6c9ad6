// `idmscope check` (integrity report) and `idmscope summary` (the dataset at a glance).
#include <nlohmann/json.hpp>

#include <cstdio>
#include <string>

#include "cli_args.hpp"
#include "cli_commands.hpp"
#include "gt/overrides.hpp"
#include "io/atomic_write.hpp"
#include "dataset/dataset.hpp"
#include "dataset/integrity.hpp"

namespace idm::cli {

namespace {

const char* kCheckHelp =
    "usage: idmscope check DIR [--json OUT|-] [--problems-only]\n"
    "  Problems: unreadable or malformed files, clips without a video or with an undecodable one,\n"
    "  clip JSONs that are not regular files (folders, broken links, FIFOs, devices) or are arrays\n"
    "  beside their video, videos without their JSON, folders that cannot be listed, GT items no\n"
    "  frame of the video shows (outside-video), end_s before start_s,\n"
    "  side-file indices out of range, gesture files that disagree with the log.\n"
    "  Notes: keys or buttons still held at the end, releases without a press, events outside\n"
    "  [start_s, end_s], events within 5 ms of a grid frame boundary, an editor save that was\n"
    "  interrupted (checked as it decided; the editor completes it on its next open).\n"
    "  Exit 0: no problems (notes allowed); 1: problems; 2: cannot run.\n";

const char* kSummaryHelp =
    "usage: idmscope summary DIR\n"
    "  One line per clip: tag, GT counts per type, labelled/total, video size and grid length.\n";

// Reads the one positional DATASET argument and loads it; prints why and returns false if
// it cannot be loaded (the caller exits 2).
bool load_dataset_argument(Args& args, const char* command, std::string& root, Dataset& dataset) {
  auto positional = args.positionals();
  args.finish();
  if (positional.size() != 1) throw UsageError{"expected one dataset folder (see --help)"};
  root = positional[0];
  std::string error;
  if (!load_dataset(root, DatasetLoadOptions{}, dataset, error)) {
    std::fprintf(stderr, "idmscope %s: %s\n", command, error.c_str());
    return false;
  }
  return true;
}

}  // namespace

int run_check(int argc, char** argv) {
  Args args(argc, argv, 2);
  if (args.wants_help()) {
    std::fputs(kCheckHelp, stdout);
    return 0;
  }
  auto json_out = args.value("--json");
  bool problems_only = args.flag("--problems-only");
  std::string root;
  Dataset dataset;
  if (!load_dataset_argument(args, "check", root, dataset)) return 2;
  std::string error;
  std::vector<Finding> findings = check_dataset(dataset);
  if (dataset.clips.empty()) findings.insert(findings.begin(), {Severity::Problem, "", "no-clips", "no clip_*.json files found"});
  int problems = 0, notes = 0;
  for (const Finding& finding : findings) (finding.severity == Severity::Problem ? problems : notes)++;

  if (json_out) {
    nlohmann::ordered_json report;
    report["dataset"] = root;
    report["clips"] = dataset.clips.size();
    report["problems"] = problems;
    report["notes"] = notes;
    report["findings"] = nlohmann::ordered_json::array();
    for (const Finding& finding : findings) {
      report["findings"].push_back({{"severity", finding.severity == Severity::Problem ? "problem" : "note"},
                                    {"clip", finding.clip_key},
                                    {"kind", finding.kind},
                                    {"message", finding.message}});
    }
    std::string text = report.dump(1) + "\n";
    if (*json_out == "-") {
      std::fputs(text.c_str(), stdout);
    } else if (!write_file_atomically(*json_out, text, error)) {
      std::fprintf(stderr, "idmscope check: %s\n", error.c_str());
      return 2;
    }
  }
  if (!json_out || *json_out != "-") {
    for (const Finding& finding : findings) {
      if (problems_only && finding.severity != Severity::Problem) continue;
      std::printf("%-7s %-22s %s%s%s\n", finding.severity == Severity::Problem ? "PROBLEM" : "note", finding.kind.c_str(),
                  finding.clip_key.c_str(), finding.clip_key.empty() ? "" : ": ", finding.message.c_str());
    }
    std::printf("%zu clips: %d problems, %d notes\n", dataset.clips.size(), problems, notes);
  }
  return problems > 0 ? 1 : 0;
}

int run_summary(int argc, char** argv) {
  Args args(argc, argv, 2);
  if (args.wants_help()) {
    std::fputs(kSummaryHelp, stdout);
    return 0;
  }
  std::string root;
  Dataset dataset;
  if (!load_dataset_argument(args, "summary", root, dataset)) return 2;
  std::printf("Dataset %s: %zu clips\n", root.c_str(), dataset.clips.size());
  std::printf("  annotations.json %s, gt_overrides.json %s\n", dataset.annotations.present ? "present" : "absent",
              dataset.overrides.present ? "present" : "absent");
  for (const std::string& note : dataset.side_file_notes) std::printf("  note: %s\n", note.c_str());
  for (const std::string& error : dataset.side_file_errors) std::printf("  problem: %s\n", error.c_str());
  std::printf("%-62s %-16s %5s %5s %5s %9s %s\n", "clip", "tag", "keys", "click", "scrl", "labelled", "video");
  for (const DatasetClip& clip : dataset.clips) {
    if (!clip.loaded) {
      std::printf("%-62s UNREADABLE: %s\n", clip.key.c_str(), clip.error.c_str());
      continue;
    }
    int counts[kActionTypeCount] = {};
    for (const Action& action : clip.canonical_gt) ++counts[static_cast<int>(action.type)];
    const ClipOverrides* overrides = nullptr;
    if (auto it = dataset.overrides.clips.find(clip.key); it != dataset.overrides.clips.end()) overrides = &it->second;
    OverriddenGt overridden = apply_overrides(clip.canonical_gt, overrides);
    size_t total = overridden.canonical_count + overridden.addition_count, labelled = 0;
    if (auto it = dataset.annotations.clips.find(clip.key); it != dataset.annotations.clips.end()) {
      for (const auto& label : resolve_labels(&it->second, total).by_label_index) labelled += label.has_value();
    }
    std::string video = !clip.has_video ? "missing"
                        : clip.video   ? std::to_string(clip.video->width) + "x" + std::to_string(clip.video->height) + " " +
                                           clip.video->codec + ", " + std::to_string(clip.video->grid_frames) + " grid frames"
                                       : "unreadable: " + clip.video_error;
    std::printf("%-62s %-16s %5d %5d %5d %4zu/%-4zu %s\n", clip.key.c_str(), clip.log.tag.c_str(), counts[0], counts[1], counts[2],
                labelled, total, video.c_str());
  }
  return 0;
}

}  // namespace idm::cli
