// `idmscope score`: the reference rescore of a results file, or a dataset under a profile.
#include <cstdio>
#include <string>

#include "cli_args.hpp"
#include "cli_commands.hpp"
#include "io/atomic_write.hpp"
#include "dataset/dataset.hpp"
#include "dataset/integrity.hpp"
#include "dataset/prediction_source.hpp"
#include "dataset/results_file.hpp"
#include "dataset/dataset_score.hpp"
#include "dataset/rescore.hpp"

namespace idm::cli {

namespace {

const char* kScoreHelp =
    "usage:\n"
    "  idmscope score --results FILE --tolerance N [--coalesce] [--json OUT] [--threads N] [--quiet]\n"
    "      The reference rescore: GT = filter(+coalesce) of each clip's raw log at the file's fps,\n"
    "      predictions filtered as the reference does; prints overall, per-type and per-clip\n"
    "      P/R/F1 and writes the reference summary JSON to OUT.\n"
    "  idmscope score --dataset DIR --predictions SRC [--profile NAME|FILE] [--json OUT] [--csv OUT]\n"
    "      Scores a dataset under a profile (assets/profiles: reference, protocol) with overrides,\n"
    "      visibility labels and mouse metrics. SRC is a results file or a per-clip folder.\n";

int score_results(Args& args) {
  std::string path = *args.value("--results");
  int tolerance = args.int_value("--tolerance", -1, 0, 1000);
  if (tolerance < 0) throw UsageError{"--tolerance N is required with --results"};
  bool coalesce = args.flag("--coalesce");
  auto json_out = args.value("--json");
  unsigned threads = static_cast<unsigned>(args.int_value("--threads", static_cast<int>(default_thread_count()), 1, 64));
  bool quiet = args.flag("--quiet");
  args.finish();

  RescoreReport report;
  std::string error;
  if (!rescore_results_file(path, tolerance, coalesce, threads, report, error)) {
    std::fprintf(stderr, "idmscope score: %s: %s\n", path.c_str(), error.c_str());
    return 1;
  }
  if (!quiet) std::fputs(rescore_text_report(report).c_str(), stdout);
  for (const RescoreClip& clip : report.clips) {
    if (!clip.error.empty()) std::fprintf(stderr, "idmscope score: %s: %s (clip skipped)\n", path.c_str(), clip.error.c_str());
  }
  if (json_out) {
    if (!write_file_atomically(*json_out, rescore_summary_text(report), error)) {
      std::fprintf(stderr, "idmscope score: %s\n", error.c_str());
      return 1;
    }
  }
  if (report.failed_clips > 0) {
    std::fprintf(stderr, "idmscope score: %d of %zu clips in %s could not be read (listed above)\n", report.failed_clips,
                 report.clips.size(), path.c_str());
    return 1;
  }
  return 0;
}

// Names on stderr every clip that is not scored or scored against GT no frame shows, so a
// clip that cannot be read never just goes missing from the totals.
void report_scoring_problems(const std::string& root, const Dataset& dataset) {
  constexpr int kMaxLines = 20;
  int not_listed = 0, total = 0;
  for (const Finding& finding : check_dataset(dataset)) {
    if (!affects_scores(finding)) continue;
    if (++total <= kMaxLines) std::fprintf(stderr, "idmscope score: %s: %s: %s\n", root.c_str(), finding.kind.c_str(), finding_text(finding).c_str());
    else ++not_listed;
  }
  size_t unscored = 0;
  for (const DatasetClip& clip : dataset.clips) unscored += !clip.loaded;
  if (not_listed > 0) std::fprintf(stderr, "idmscope score: %s: ... and %d more problems (idmscope check %s lists them all)\n", root.c_str(), not_listed, root.c_str());
  if (unscored > 0) {
    std::fprintf(stderr, "idmscope score: %s: %zu of %zu clips cannot be read and are not scored\n", root.c_str(), unscored, dataset.clips.size());
  }
}

int score_dataset_command(Args& args) {
  std::string root = *args.value("--dataset");
  auto source = args.value("--predictions");
  std::string profile_name = args.value("--profile").value_or("protocol");
  auto json_out = args.value("--json");
  auto csv_out = args.value("--csv");
  bool quiet = args.flag("--quiet");
  args.finish();
  if (!source) throw UsageError{"--predictions SRC is required with --dataset"};

  ScoringProfile profile;
  std::string error;
  if (!load_profile(profile_name, profile, error)) {
    std::fprintf(stderr, "idmscope score: %s\n", error.c_str());
    return 1;
  }
  Dataset dataset;
  if (!load_dataset(root, DatasetLoadOptions{}, dataset, error)) {
    std::fprintf(stderr, "idmscope score: %s\n", error.c_str());
    return 1;
  }
  if (dataset.clips.empty()) {
    std::fprintf(stderr, "idmscope score: %s: no clips (clip_*.json) found\n", root.c_str());
    return 1;
  }
  for (const std::string& side_error : dataset.side_file_errors) {
    std::fprintf(stderr, "idmscope score: %s/%s (file ignored)\n", root.c_str(), side_error.c_str());
  }
  for (const std::string& note : dataset.side_file_notes) std::fprintf(stderr, "idmscope score: note: %s/%s\n", root.c_str(), note.c_str());
  report_scoring_problems(root, dataset);
  PredictionSet predictions;
  if (!load_prediction_source(*source, dataset, predictions, error)) {
    std::fprintf(stderr, "idmscope score: %s\n", error.c_str());
    return 1;
  }
  for (const std::string& warning : predictions.warnings) {
    std::fprintf(stderr, "idmscope score: %s: %s\n", source->c_str(), warning.c_str());
  }
  DatasetScore score = score_dataset(dataset, predictions, profile);
  if (!quiet) std::fputs(dataset_score_text(score).c_str(), stdout);
  if (json_out && !write_file_atomically(*json_out, dataset_score_json(score).dump(1) + "\n", error)) {
    std::fprintf(stderr, "idmscope score: %s\n", error.c_str());
    return 1;
  }
  if (csv_out && !write_file_atomically(*csv_out, dataset_score_csv(score), error)) {
    std::fprintf(stderr, "idmscope score: %s\n", error.c_str());
    return 1;
  }
  return 0;
}

}  // namespace

int run_score(int argc, char** argv) {
  Args args(argc, argv, 2);
  if (args.wants_help()) {
    std::fputs(kScoreHelp, stdout);
    return 0;
  }
  // Probe which mode is asked for on a throwaway copy, then parse for real.
  Args probe(argc, argv, 2);
  bool results_mode = probe.value("--results").has_value();
  bool dataset_mode = probe.value("--dataset").has_value();
  if (results_mode && dataset_mode) throw UsageError{"give either --results or --dataset, not both"};
  if (results_mode) return score_results(args);
  if (dataset_mode) return score_dataset_command(args);
  throw UsageError{"give --results FILE or --dataset DIR (see --help)"};
}


}  // namespace idm::cli
