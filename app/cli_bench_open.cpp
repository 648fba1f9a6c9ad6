// `idmscope bench open DIR`: how long opening a dataset takes, listed (the tree only), with
// every browser column filled (as the viewer does it: from the index where it is current, else
// by reading the logs and probing the videos), and with every log read (what scoring needs),
// without the index (cold) and with it (warm), against `find DIR -name 'clip_*.json'` measured
// in the same run.
#include <cstdio>
#include <filesystem>
#include <string>

#include <sys/resource.h>

#include "bench_support.hpp"
#include "cli_args.hpp"
#include "cli_commands.hpp"
#include "dataset/dataset.hpp"
#include "dataset/dataset_index.hpp"

namespace idm::cli {

namespace {

const char* kBenchOpenHelp =
    "usage: idmscope bench open DIR\n"
    "  Times, in one run: `find DIR -name 'clip_*.json'` (the baseline); listing the clips from the\n"
    "  tree (names, paths, problems found in the tree); every column the viewer's browser shows\n"
    "  filled (tag, GT counts, video size) cold (DIR/.idmscope/index.json removed first: it is only\n"
    "  a cache) by reading every log and probing every video, and warm from the index alone; and\n"
    "  every log read and GT built (what scoring needs; warm: probes from the index). Prints the\n"
    "  peak RSS.\n"
    "  The page cache is not dropped: cold means without the index, not without cached files.\n";

bool open_filled(const std::string& root, Dataset& dataset, std::string& error) {
  return load_dataset(root, DatasetLoadOptions{}, dataset, error);
}

// Clips whose browser columns are known: a summary of the log (or why it cannot be read) and,
// with a video, its probe (or why it cannot be probed).
size_t browser_ready(const Dataset& dataset) {
  size_t ready = 0;
  for (const DatasetClip& clip : dataset.clips) {
    bool log_known = clip.summary.has_value() || clip.filled;
    bool video_known = !clip.has_video || clip.video.has_value() || !clip.video_error.empty();
    ready += log_known && video_known;
  }
  return ready;
}

}  // namespace

int run_bench_open(int argc, char** argv) {
  Args args(argc, argv, 3);
  if (args.wants_help()) {
    std::fputs(kBenchOpenHelp, stdout);
    return 0;
  }
  auto positionals = args.positionals();
  args.finish();
  if (positionals.size() != 1) throw UsageError{"expected one dataset folder (see --help)"};
  const std::string root = positionals[0];

  // The names go to /dev/null: the baseline is the walk, not a terminal.
  ChildRun find = run_and_time({"find", root, "-name", "clip_*.json", "-fprint", "/dev/null"});
  if (!find.started) std::fprintf(stderr, "idmscope bench open: find did not run: %s\n", find.error.c_str());

  std::string error;
  std::error_code code;
  std::filesystem::remove(std::filesystem::path(root) / kDatasetIndexPath, code);

  Dataset listed;
  auto start = Clock::now();
  if (!list_dataset(root, listed, error)) {
    std::fprintf(stderr, "idmscope bench open: %s\n", error.c_str());
    return 1;
  }
  double list_cold_s = seconds_since(start);

  Dataset cold;
  start = Clock::now();
  if (!open_filled(root, cold, error)) {
    std::fprintf(stderr, "idmscope bench open: %s\n", error.c_str());
    return 1;
  }
  double fill_cold_s = seconds_since(start);
  bool index_written = std::filesystem::is_regular_file(std::filesystem::path(root) / kDatasetIndexPath, code);

  Dataset listed_again;
  start = Clock::now();
  list_dataset(root, listed_again, error);
  double list_warm_s = seconds_since(start);
  Dataset browser_warm;
  start = Clock::now();
  list_dataset_with_index(root, browser_warm, error);
  double browser_warm_s = seconds_since(start);
  Dataset warm;
  start = Clock::now();
  open_filled(root, warm, error);
  double fill_warm_s = seconds_since(start);

  size_t videos = 0;
  for (const DatasetClip& clip : warm.clips) videos += clip.video.has_value();
  std::printf("dataset %s: %zu clips, %zu videos probed\n", root.c_str(), warm.clips.size(), videos);
  if (find.started) std::printf("  find -name 'clip_*.json'     %8.3f s   (baseline)\n", find.seconds);
  std::printf("  list (tree only)      cold   %8.3f s   warm %8.3f s\n", list_cold_s, list_warm_s);
  // Cold, the browser's columns need every log read and every video probed: the full open.
  std::printf("  every column filled   cold   %8.3f s   warm %8.3f s   (index %s; warm: %zu of %zu clips from the index)\n",
              fill_cold_s, browser_warm_s, index_written ? "written" : "NOT written: folder not writable?", browser_ready(browser_warm),
              browser_warm.clips.size());
  std::printf("  logs read, GT built   cold   %8.3f s   warm %8.3f s   (scoring's input; warm: probes from the index)\n", fill_cold_s,
              fill_warm_s);
  std::printf("  peak RSS                      %s\n", mib(peak_rss_bytes(RUSAGE_SELF)).c_str());
  return 0;
}

}  // namespace idm::cli
