// `idmscope bench`: benchmarks that print figures against a same-run baseline.
//
// `bench score` times the reference rescore of a results file (the same core call as
// `idmscope score --results`), and with --baseline also runs bench/reference_rescore.py, a
// plain-Python port of the reference scorer, once on the same file in the same run, checks
// that both summaries are identical and prints the speed ratio.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench_support.hpp"
#include "cli_args.hpp"
#include "cli_commands.hpp"
#include "cli_rsv.hpp"
#include "dataset/results_file.hpp"
#include "dataset/rescore.hpp"


namespace idm::cli {

namespace {

const char* kBenchHelp =
    "usage:\n"
    "  idmscope bench score --results FILE [--tolerance N] [--coalesce] [--threads N] [--repeat R]\n"
    "                       [--baseline] [--baseline-script PATH] [--python EXE] [--phases]\n"
    "  idmscope bench video VIDEO... [--fps 5] [--repeat 3] [--threads N]   (see bench video --help)\n"
    "  idmscope bench infer [--concurrency 8] [--latency-ms 200] [--requests 96]   (see bench infer --help)\n"
    "  idmscope bench rsv DIR [--layer2 N] [--repeat R]   (see bench rsv --help)\n"
    "  idmscope bench rollout [--k 4] [--latency-ms 1000]   (K concurrent rollout programs through the worker)\n"
    "  idmscope bench open DIR   (dataset open: list and fill, cold and warm, against find; see bench open --help)\n"
    "\n"
    "  Times the reference rescore of a results file (what `idmscope score --results` does:\n"
    "  read, score every clip, build the summary JSON) R times (default 3) and prints the file\n"
    "  size, clip count, best and median wall time, MB/s and clips/s of the best run (MB = 10^6\n"
    "  bytes), the threads used and the peak RSS of this process.\n"
    "\n"
    "  --tolerance N        match tolerance in frames (default 2, the reference profile's)\n"
    "  --coalesce           coalesce GT scrolls and clicks, as `score --coalesce`\n"
    "  --threads N          worker threads (default: hardware threads, at most 16)\n"
    "  --repeat R           timed runs (default 3)\n"
    "  --baseline           also run the plain-Python reference port once on the same file,\n"
    "                       time it, check its summary JSON is identical to ours and print the\n"
    "                       speed ratio (the target is at least 50x)\n"
    "  --baseline-script P  the Python port to run (default: bench/reference_rescore.py in the\n"
    "                       source tree); implies --baseline\n"
    "  --python EXE         interpreter for the baseline (default: python3 on PATH)\n"
    "  --phases             also time reading + indexing the file alone (no scoring)\n"
    "\n"
    "  Make a big input with: python3 bench/make_results.py --clips 50000 --out /tmp/big.json\n";

std::string with_commas(double value) {
  char digits[64];
  std::snprintf(digits, sizeof digits, "%.0f", value);
  std::string text = digits;
  std::string out;
  size_t start = text[0] == '-' ? 1 : 0;
  out.append(text, 0, start);
  for (size_t i = start; i < text.size(); ++i) {
    if (i > start && (text.size() - i) % 3 == 0) out += ',';
    out += text[i];
  }
  return out;
}

std::filesystem::path default_baseline_script() {
  // IDMSCOPE_ASSETS_DIR is <source>/assets; the benchmark scripts live in <source>/bench.
  return std::filesystem::path(IDMSCOPE_ASSETS_DIR).parent_path() / "bench" / "reference_rescore.py";
}

// A temporary file name that nobody else holds; the file is created empty.
std::optional<std::filesystem::path> make_temp_file(std::string& error) {
  std::error_code code;
  std::filesystem::path dir = std::filesystem::temp_directory_path(code);
  if (code) dir = "/tmp";
  std::string pattern = (dir / "idmscope-bench-XXXXXX").string();
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  int fd = mkstemp(buffer.data());
  if (fd < 0) {
    error = "cannot create a temporary file in " + dir.string() + ": " + std::strerror(errno);
    return std::nullopt;
  }
  close(fd);
  return std::filesystem::path(buffer.data());
}

struct Comparison {
  bool identical = false;
  std::string detail;  // what differs (first few JSON-pointer paths), or why it could not compare
};

Comparison compare_summaries(const nlohmann::ordered_json& ours, const std::filesystem::path& theirs_path) {
  Comparison out;
  std::ifstream in(theirs_path);
  if (!in) {
    out.detail = "cannot read the baseline's output " + theirs_path.string();
    return out;
  }
  nlohmann::json theirs;
  try {
    theirs = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& error) {
    out.detail = std::string("the baseline's output is not valid JSON: ") + error.what();
    return out;
  }
  // Plain (unordered) objects: key order and white space don't matter, numbers compare by value.
  nlohmann::json mine = nlohmann::json::parse(ours.dump());
  if (mine == theirs) {
    out.identical = true;
    return out;
  }
  nlohmann::json patch = nlohmann::json::diff(theirs, mine);
  out.detail = std::to_string(patch.size()) + " difference(s), first at";
  for (size_t i = 0; i < patch.size() && i < 3; ++i) out.detail += " " + patch[i].value("path", std::string("?"));
  return out;
}

int bench_score(Args& args) {
  auto results = args.value("--results");
  if (!results) throw UsageError{"--results FILE is required (see --help)"};
  int tolerance = args.int_value("--tolerance", 2, 0, 1000);
  bool coalesce = args.flag("--coalesce");
  unsigned threads = static_cast<unsigned>(args.int_value("--threads", static_cast<int>(default_thread_count()), 1, 64));
  int repeat = args.int_value("--repeat", 3, 1, 1000);
  bool baseline = args.flag("--baseline");
  auto script_option = args.value("--baseline-script");
  std::string python = args.value("--python").value_or("python3");
  bool phases = args.flag("--phases");
  args.finish();
  if (script_option && !baseline) baseline = true;

  std::filesystem::path path = *results;
  std::filesystem::path script = script_option ? std::filesystem::path(*script_option) : default_baseline_script();
  if (baseline && !std::filesystem::is_regular_file(script)) {
    std::fprintf(stderr, "idmscope bench: baseline script not found: %s (give --baseline-script PATH)\n",
                 script.string().c_str());
    return 1;
  }

  // Timed runs: read + score + summary JSON text, exactly what `score --results --json` computes.
  std::vector<double> runs;
  RescoreReport report;
  nlohmann::ordered_json summary;
  size_t summary_chars = 0;
  for (int r = 0; r < repeat; ++r) {
    RescoreReport this_report;
    std::string error;
    Clock::time_point start = Clock::now();
    if (!rescore_results_file(path, tolerance, coalesce, threads, this_report, error)) {
      std::fprintf(stderr, "idmscope bench: %s: %s\n", path.string().c_str(), error.c_str());
      return 1;
    }
    std::string text = rescore_summary_text(this_report);  // what `score --json` writes
    runs.push_back(seconds_since(start));
    summary_chars = text.size();
    if (r + 1 == repeat) {
      report = std::move(this_report);
      summary = nlohmann::ordered_json::parse(text);  // for the baseline comparison, untimed
    }
  }
  uint64_t our_peak_rss = peak_rss_bytes(RUSAGE_SELF);

  double best = *std::min_element(runs.begin(), runs.end());
  double median = median_of(runs);
  double megabytes = static_cast<double>(report.bytes) / 1e6;
  size_t clips = report.clips.size();
  unsigned threads_used = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(std::max<size_t>(clips, 1))));

  std::printf("idmscope bench score\n");
  std::printf("  file         %s\n", path.string().c_str());
  std::printf("  size         %s bytes (%.1f MB)\n", with_commas(static_cast<double>(report.bytes)).c_str(), megabytes);
  std::printf("  clips        %zu (%d unreadable)\n", clips, report.failed_clips);
  std::printf("  settings     tolerance %d, coalesce %s, fps %g\n", tolerance, coalesce ? "on" : "off", report.fps);
  std::printf("  threads      %u (of %u hardware threads)\n", threads_used, std::thread::hardware_concurrency());
  std::printf("  runs         %d:", repeat);
  for (double run : runs) std::printf(" %.3f", run);
  std::printf(" s\n");
  std::printf("  wall         best %.3f s, median %.3f s\n", best, median);
  std::printf("  throughput   %.1f MB/s, %s clips/s (best run; median run: %.1f MB/s, %s clips/s)\n", megabytes / best,
              with_commas(static_cast<double>(clips) / best).c_str(), megabytes / median,
              with_commas(static_cast<double>(clips) / median).c_str());
  std::printf("  peak RSS     %s\n", mib(our_peak_rss).c_str());
  Prf overall = precision_recall_f1(report.overall);
  std::printf("  result       P=%.4f R=%.4f F1=%.4f (TP=%lld FP=%lld FN=%lld), summary JSON %s bytes\n",
              overall.precision, overall.recall, overall.f1, static_cast<long long>(report.overall.tp),
              static_cast<long long>(report.overall.fp), static_cast<long long>(report.overall.fn),
              with_commas(static_cast<double>(summary_chars)).c_str());

  if (phases) {
    // Reading the file and finding the clip spans, without decoding or scoring any clip.
    std::vector<double> scans;
    for (int r = 0; r < repeat; ++r) {
      ResultsFile file;
      std::string error;
      Clock::time_point start = Clock::now();
      if (!scan_results_file(path, file, error)) {
        std::fprintf(stderr, "idmscope bench: %s: %s\n", path.string().c_str(), error.c_str());
        return 1;
      }
      scans.push_back(seconds_since(start));
    }
    double scan_best = *std::min_element(scans.begin(), scans.end());
    std::printf("  phases       read + index (1 thread): best %.3f s (%.1f MB/s); decode + score + summary: ~%.3f s\n",
                scan_best, megabytes / scan_best, std::max(0.0, best - scan_best));
  }
  std::fflush(stdout);

  if (!baseline) return report.failed_clips > 0 ? 1 : 0;

  std::string error;
  auto output = make_temp_file(error);
  if (!output) {
    std::fprintf(stderr, "idmscope bench: %s\n", error.c_str());
    return 1;
  }
  std::vector<std::string> command = {python, script.string(), "--results", path.string(), "--tolerance",
                                      std::to_string(tolerance)};
  if (coalesce) command.push_back("--coalesce");
  command.insert(command.end(), {"--json", output->string(), "--quiet"});

  std::printf("baseline     %s %s (1 run, same file, same settings)\n", python.c_str(), script.string().c_str());
  std::fflush(stdout);
  ChildRun child = run_and_time(command);
  if (!child.started || !child.exited_zero) {
    std::filesystem::remove(*output);
    std::fprintf(stderr, "idmscope bench: baseline failed: %s\n", child.error.c_str());
    return 1;
  }
  Comparison comparison = compare_summaries(summary, *output);
  std::filesystem::remove(*output);

  double ratio_best = child.seconds / best;
  double ratio_median = child.seconds / median;
  std::printf("  wall         %.3f s\n", child.seconds);
  std::printf("  throughput   %.2f MB/s, %s clips/s\n", megabytes / child.seconds,
              with_commas(static_cast<double>(clips) / child.seconds).c_str());
  std::printf("  peak RSS     %s\n", mib(child.peak_rss).c_str());
  std::printf("  summary      %s\n",
              comparison.identical ? "identical to ours" : ("DIFFERENT from ours: " + comparison.detail).c_str());
  std::printf("speed-up       %.1fx (our best run), %.1fx (our median run); target >= 50x: %s\n", ratio_best,
              ratio_median, ratio_best >= 50.0 ? "met" : "NOT met");
  if (!comparison.identical) return 1;
  return report.failed_clips > 0 ? 1 : 0;
}

}  // namespace

int run_bench(int argc, char** argv) {
  if (argc < 3) throw UsageError{"name a benchmark: bench score --results FILE (see --help)"};
  if (!std::strcmp(argv[2], "--help") || !std::strcmp(argv[2], "-h")) {
    std::fputs(kBenchHelp, stdout);
    return 0;
  }
  std::string name = argv[2];
  if (name == "video") return run_bench_video(argc, argv);
  if (name == "infer") return run_bench_infer(argc, argv);
  if (name == "rsv") return run_bench_rsv(argc, argv);
  if (name == "rollout") return run_bench_rollout(argc, argv);
  if (name == "rollout-model") return run_bench_rollout_model(argc, argv);  // the program `bench rollout` runs
  if (name == "open") return run_bench_open(argc, argv);
  if (name != "score") throw UsageError{"unknown benchmark '" + name + "' (available: score, video, infer, rsv, rollout, open)"};
  Args args(argc, argv, 3);
  if (args.wants_help()) {
    std::fputs(kBenchHelp, stdout);
    return 0;
  }
  return bench_score(args);
}

}  // namespace idm::cli
