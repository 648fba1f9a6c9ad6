// `idmscope rsv import` and `idmscope rsv eval`: rollouts of world models on the release.
// Headless: no GUI include here.
#include <stdlib.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "cli_rsv.hpp"
#include "infer/frame_image.hpp"
#include "io/atomic_write.hpp"
#include "rsv_eval/action_baseline.hpp"
#include "rsv_eval/action_score.hpp"
#include "rsv_eval/eval.hpp"
#include "rsv_eval/eval_report.hpp"
#include "rsv_eval/rollout_import.hpp"
#include "rsv_eval/rollout_store.hpp"
#include "rsv_rollout/metric_command.hpp"

extern "C" {
#include <libavutil/log.h>
}

namespace idm::cli {

namespace {

const char* kImportHelp =
    "usage: idmscope rsv import DIR --from SRC --run NAME\n"
    "  Copies a world model's rollouts into DIR/.idmscope/rollouts/NAME/ (atomic writes) and writes run.json.\n"
    "  SRC holds, flat or under <split>/ folders: <stem>.mp4 (named like the GT video), or a folder <stem>/\n"
    "  of numbered PNGs, each with an optional <stem>.rollout.json sidecar\n"
    "  {\"fps\", \"frames_per_step\", \"includes_context\", \"step_end_frames\": [40 frame numbers]}.\n"
    "  Lists the files that match no trajectory and the trajectories left without a rollout.\n"
    "  Exit: 0 every trajectory has a rollout, 1 some are missing or could not be imported, 2 cannot run.\n";

const char* kEvalHelp =
    "usage: idmscope rsv eval DIR --rollouts RUN[,RUN...] [--tier gt|sc|both] [--json OUT] [--md OUT] [--csv OUT]\n"
    "                         [--endpoints video-ends|closure|S,E] [--phase start|end|inclusive] [--no-ssim]\n"
    "                         [--bootstrap N] [--bootstrap-seed S] [--threads N] [--metric NAME=PROGRAM[,ARG...]]...\n"
    "  Scores rollout runs (rsv import / rsv rollout) on the release, as the card's tables:\n"
    "  GT-anchored: PSNR(rollout[E], GT[E]) (a pair: mean over A and B). Self-consistency: PSNR(rollout[S],\n"
    "  rollout[E]) (a pair: A's end against B's end). The GT video's own Layer-2 PSNR is the ceiling beside SC.\n"
    "  Rows: the card's three models (their tier is not stated by the card), then each run per tier; cells are\n"
    "  the mean over items with a 95% bootstrap interval (seeded: --bootstrap-seed, default 1; --bootstrap\n"
    "  resamples, default 2000). Easy table: inverse_easy / loop_easy / equivalence_easy; hard: *_hard.\n"
    "  --metric     a user-supplied metric (LPIPS, ...): PROGRAM reads {\"metric\", \"pairs\": [{\"id\", \"a\", \"b\"}]} (PNG paths)\n"
    "               on stdin and answers {\"version\", \"values\": [{\"id\", \"value\"}]}; its table follows, with its version.\n"
    "  --rollouts may be repeated. Every assumed setting is printed with the table and written to each output.\n"
    "  Exit: 0 every item scored, 1 some item has no score (listed with its reason), 2 cannot run.\n";


// Metric commands: the compared pairs as PNGs in a temp folder, one program call per metric, the
// values per item (a pair's GT tier: the mean over A and B) and per split like the PSNR table.
struct MetricRun {
  rsv_rollout::MetricCommand command;
  rsv_rollout::MetricAnswer answer;
};

std::string write_pair_png(const std::filesystem::path& file, const std::vector<uint8_t>& rgb, int width, int height) {
  infer::FrameImage image;
  image.width = width;
  image.height = height;
  image.rgba.resize(static_cast<size_t>(width) * height * 4);
  for (size_t i = 0, n = static_cast<size_t>(width) * height; i < n; ++i) {
    for (int c = 0; c < 3; ++c) image.rgba[i * 4 + c] = rgb[i * 3 + c];
    image.rgba[i * 4 + 3] = 255;
  }
  std::string error;
  if (!write_file_atomically(file, infer::encode_png(image), error)) return error;
  return "";
}

nlohmann::ordered_json metric_report(const MetricRun& metric, const rsv_eval::EvalResult& result, const std::vector<std::string>& tiers,
                                     const rsv_eval::BootstrapSettings& bootstrap, std::string& markdown) {
  nlohmann::ordered_json out = {{"name", metric.command.name}, {"command", metric.command.argv}};
  if (!metric.answer.ok) {
    out["error"] = metric.answer.error;
    markdown += "\n## " + metric.command.name + ": not computed (" + metric.answer.error + ")\n";
    return out;
  }
  out["version"] = metric.answer.version;
  nlohmann::ordered_json items = nlohmann::ordered_json::array();
  // (run, tier, split) -> values
  std::map<std::string, std::vector<double>> by_cell;
  for (const rsv_eval::ItemScores& item : result.items) {
    for (const rsv_eval::RunInfo& run : result.runs) {
      for (const std::string& tier : tiers) {
        std::string id = run.name + "|" + tier + "|" + item.key;
        const auto& values = metric.answer.values;
        std::optional<double> value;
        if (values.count(id)) value = values.at(id);
        else if (values.count(id + "|A") && values.count(id + "|B")) value = (values.at(id + "|A") + values.at(id + "|B")) / 2.0;
        if (!value) continue;
        items.push_back({{"key", item.key}, {"run", run.name}, {"tier", tier}, {"value", *value}});
        by_cell[run.name + "|" + tier + "|" + item.split].push_back(*value);
      }
    }
  }
  out["items"] = items;
  nlohmann::ordered_json table = nlohmann::ordered_json::array();
  markdown += "\n## " + metric.command.name + " (metric command, version " + metric.answer.version + ")\n\n| Run | Tier | Split | Mean [95% interval] | n |\n|---|---|---|---|---|\n";
  for (const auto& [cell, values] : by_cell) {
    size_t first = cell.find('|'), second = cell.find('|', first + 1);
    rsv_eval::MeanInterval mean = rsv_eval::bootstrap_mean(values, bootstrap);
    std::string run = cell.substr(0, first), tier = cell.substr(first + 1, second - first - 1), split = cell.substr(second + 1);
    table.push_back({{"run", run}, {"tier", tier}, {"split", split}, {"n", mean.n}, {"mean", mean.mean}, {"ci95", {mean.low, mean.high}}});
    char line[256];
    std::snprintf(line, sizeof line, "| %s | %s | %s | %.4f [%.4f, %.4f] | %d |\n", run.c_str(), tier.c_str(), split.c_str(), mean.mean,
                  mean.low, mean.high, mean.n);
    markdown += line;
  }
  out["table"] = table;
  return out;
}

const char* kScoreHelp =
    "usage: idmscope rsv score DIR --predictions SRC [--json OUT] [--table FILE]\n"
    "  Scores an inverse dynamics model's predicted actions on the release (rsv.md §7). SRC is a folder of\n"
    "  <split>/<stem>.json (or <stem>.json) files or one JSON file {key: ...}; each value is {\"actions\": [40 names]},\n"
    "  [{\"step\": k, \"action\": name}] or a plain array of names. Prints step accuracy, per-action precision /\n"
    "  recall / F1, the 9x9 confusion matrix (rows GT), and the final-position (cm) and yaw (deg) error of the path\n"
    "  the predicted actions drive from the root (the kinematics of --table).\n"
    "  Exit: 0 every trajectory scored, 1 some have no usable prediction (listed), 2 cannot run.\n";

const char* kPredictHelp =
    "usage: idmscope rsv predict DIR --out FILE [--splits S[,S...]]\n"
    "  The built-in classical-vision baseline: predicts every trajectory's actions from its frames (per step, the\n"
    "  first and last frame in gray at 96 px: a global horizontal shift = turn, vertical = look, floor parallax =\n"
    "  strafe, floor expansion = forward/backward, nothing = no_op) and writes {key: {\"actions\": [...]}} for\n"
    "  `rsv score DIR --predictions FILE`. Exit: 0 written, 1 some videos could not be read (listed), 2 cannot run.\n";

}  // namespace

int run_rsv_predict(int argc, char** argv) {
  Args args(argc, argv, 3);
  if (args.wants_help()) {
    std::fputs(kPredictHelp, stdout);
    return 0;
  }
  auto out = args.value("--out");
  std::vector<std::string> split_values = args.values("--splits");
  rsv::CheckSettings load;
  load.table = load_table_option(args);
  auto positional = args.positionals();
  args.finish();
  if (positional.size() != 1) throw UsageError{"expected one release folder (see --help)"};
  if (!out) throw UsageError{"--out FILE is required"};
  std::set<std::string> splits;
  for (const std::string& value : split_values) {
    size_t begin = 0;
    while (true) {
      size_t comma = value.find(',', begin);
      std::string name = value.substr(begin, comma == std::string::npos ? std::string::npos : comma - begin);
      if (!name.empty()) splits.insert(name);
      if (comma == std::string::npos) break;
      begin = comma + 1;
    }
  }
  av_log_set_level(AV_LOG_FATAL);
  rsv::Release release;
  std::string error;
  if (!load_release(positional[0], release, "idmscope rsv predict")) return 2;
  load.probe_videos = true;
  load.layer2 = false;
  std::vector<rsv::LoadedItem> loaded = rsv::load_items(release, load);
  nlohmann::ordered_json document = nlohmann::ordered_json::object();
  int failed = 0;
  for (const rsv::LoadedItem& item : loaded) {
    if (!splits.empty() && !splits.count(item.item->split)) continue;
    for (const rsv::LoadedMember& member : item.members) {
      std::vector<std::string> actions;
      int steps = member.meta.total_steps > 0 ? member.meta.total_steps : 40;
      int per_step = member.meta.frames_per_step > 0 ? member.meta.frames_per_step : 9;
      if (member.files.video_path.empty() || !rsv_eval::predict_actions_classical(member.files.video_path, steps, per_step, actions, error)) {
        ++failed;
        std::printf("E %s: %s\n", member.files.key.c_str(), member.files.video_path.empty() ? "no video" : error.c_str());
        continue;
      }
      document[member.files.key] = {{"actions", actions}};
    }
  }
  if (!write_file_atomically(*out, document.dump(1) + "\n", error)) {
    std::fprintf(stderr, "idmscope rsv predict: %s\n", error.c_str());
    return 2;
  }
  std::printf("predicted %zu trajectories (classical baseline) -> %s\n", document.size(), out->c_str());
  return failed ? 1 : 0;
}

int run_rsv_score(int argc, char** argv) {
  Args args(argc, argv, 3);
  if (args.wants_help()) {
    std::fputs(kScoreHelp, stdout);
    return 0;
  }
  auto source = args.value("--predictions");
  auto json_out = args.value("--json");
  rsv::CheckSettings load;
  load.table = load_table_option(args);
  auto positional = args.positionals();
  args.finish();
  if (positional.size() != 1) throw UsageError{"expected one release folder (see --help)"};
  if (!source) throw UsageError{"--predictions SRC is required"};
  rsv::Release release;
  std::string error;
  if (!load_release(positional[0], release, "idmscope rsv score")) return 2;
  load.probe_videos = false;
  load.layer2 = false;
  std::vector<rsv::LoadedItem> loaded = rsv::load_items(release, load);
  std::vector<std::string> keys;
  for (const rsv::LoadedItem& item : loaded) {
    for (const rsv::LoadedMember& member : item.members) keys.push_back(member.files.key);
  }
  rsv_eval::ActionPredictions predictions;
  if (!rsv_eval::load_action_predictions(*source, keys, predictions, error)) {
    std::fprintf(stderr, "idmscope rsv score: %s\n", error.c_str());
    return 2;
  }
  rsv_eval::ActionScoreReport report = rsv_eval::score_action_predictions(loaded, predictions, load.table);
  for (const std::string& problem : predictions.problems) std::printf("E %s\n", problem.c_str());
  for (const std::string& key : predictions.unmatched) std::printf("W unmatched: %s (no such trajectory)\n", key.c_str());
  int unscored = 0;
  for (const rsv_eval::TrajectoryActionScore& score : report.trajectories) {
    if (score.reason.empty()) continue;
    if (++unscored <= 20) std::printf("unscored %s: %s\n", score.key.c_str(), score.reason.c_str());
  }
  std::fputs(rsv_eval::action_score_text(report).c_str(), stdout);
  if (json_out && !write_file_atomically(*json_out, rsv_eval::action_score_json(report).dump(2) + "\n", error)) {
    std::fprintf(stderr, "idmscope rsv score: %s\n", error.c_str());
    return 2;
  }
  return unscored || !predictions.problems.empty() ? 1 : 0;
}

int run_rsv_import(int argc, char** argv) {
  Args args(argc, argv, 3);
  if (args.wants_help()) {
    std::fputs(kImportHelp, stdout);
    return 0;
  }
  auto from = args.value("--from");
  auto run = args.value("--run");
  auto positional = args.positionals();
  args.finish();
  if (positional.size() != 1) throw UsageError{"expected one release folder (see --help)"};
  if (!from) throw UsageError{"--from SRC is required"};
  if (!run) throw UsageError{"--run NAME is required"};
  av_log_set_level(AV_LOG_FATAL);
  rsv::Release release;
  std::string error;
  if (!load_release(positional[0], release, "idmscope rsv import")) return 2;
  rsv_eval::ImportReport report;
  if (!rsv_eval::import_rollouts(release, *from, *run, report, error)) {
    std::fprintf(stderr, "idmscope rsv import: %s\n", error.c_str());
    return 2;
  }
  std::printf("imported %d rollouts into %s\n", report.imported, report.run_folder.string().c_str());
  for (const std::string& line : report.problems) std::printf("E %s\n", line.c_str());
  for (const std::string& line : report.unmatched) std::printf("W unmatched: %s\n", line.c_str());
  if (!report.missing.empty()) {
    std::printf("%zu trajectories without a rollout:\n", report.missing.size());
    for (const std::string& key : report.missing) std::printf("  %s\n", key.c_str());
  }
  return report.problems.empty() && report.missing.empty() ? 0 : 1;
}

int run_rsv_eval(int argc, char** argv) {
  Args args(argc, argv, 3);
  if (args.wants_help()) {
    std::fputs(kEvalHelp, stdout);
    return 0;
  }
  rsv_eval::EvalSettings settings;
  std::string error_text_for_usage;
  if (auto text = args.value("--endpoints")) {
    auto policy = rsv::parse_endpoint_policy(*text);
    if (!policy) throw UsageError{"--endpoints expects video-ends, closure or S,E, got '" + *text + "'"};
    settings.endpoints = *policy;
  }
  if (auto text = args.value("--phase")) {
    auto phase = rsv::parse_phase(*text);
    if (!phase) throw UsageError{"--phase expects start, end or inclusive, got '" + *text + "'"};
    settings.phase = *phase;
  }
  std::vector<std::string> tiers = {"gt", "sc"};
  if (auto tier = args.value("--tier")) {
    if (*tier == "gt" || *tier == "sc") tiers = {*tier};
    else if (*tier != "both") throw UsageError{"--tier expects gt, sc or both, got '" + *tier + "'"};
  }
  settings.ssim = !args.flag("--no-ssim");
  settings.bootstrap.resamples = args.int_value("--bootstrap", 2000, 0, 1'000'000);
  settings.bootstrap.seed = static_cast<uint64_t>(args.int_value("--bootstrap-seed", 1, 0, 2'000'000'000));
  settings.threads = args.int_value("--threads", static_cast<int>(std::max(1u, std::min(std::thread::hardware_concurrency(), 8u))), 1, 64);
  std::vector<std::string> run_names;
  for (const std::string& value : args.values("--rollouts")) {
    size_t begin = 0;
    while (begin <= value.size()) {
      size_t comma = value.find(',', begin);
      std::string name = value.substr(begin, comma == std::string::npos ? std::string::npos : comma - begin);
      if (!name.empty()) run_names.push_back(name);
      if (comma == std::string::npos) break;
      begin = comma + 1;
    }
  }
  std::vector<MetricRun> metrics;
  for (const std::string& text : args.values("--metric")) {
    MetricRun metric;
    if (!rsv_rollout::parse_metric_option(text, metric.command, error_text_for_usage)) throw UsageError{error_text_for_usage};
    metrics.push_back(metric);
  }
  int metric_timeout_s = args.int_value("--metric-timeout", 600, 1, 7 * 24 * 3600);
  auto json_out = args.value("--json");
  auto md_out = args.value("--md");
  auto csv_out = args.value("--csv");
  settings.table = load_table_option(args);
  auto positional = args.positionals();
  args.finish();
  if (positional.size() != 1) throw UsageError{"expected one release folder (see --help)"};
  if (run_names.empty()) throw UsageError{"--rollouts RUN is required (runs live in DIR/.idmscope/rollouts/)"};
  av_log_set_level(AV_LOG_FATAL);
  rsv::Release release;
  std::string error;
  if (!load_release(positional[0], release, "idmscope rsv eval")) return 2;
  std::vector<rsv_eval::RunInfo> runs;
  for (const std::string& name : run_names) {
    if (!rsv_eval::valid_run_name(name, error)) throw UsageError{"--rollouts '" + name + "': " + error};
    rsv_eval::RunInfo run{name, rsv_eval::run_dir(release.root, name), {}};
    std::error_code ec;
    if (!std::filesystem::is_directory(run.folder, ec)) {
      std::fprintf(stderr, "idmscope rsv eval: no rollout run '%s' (%s is not a folder; see rsv import / rsv rollout)\n", name.c_str(),
                   run.folder.string().c_str());
      return 2;
    }
    if (!rsv_eval::read_run_json(run.folder, run.run_json, error)) std::fprintf(stderr, "W %s\n", error.c_str());
    runs.push_back(run);
  }
  settings.progress = terminal_progress();
  std::filesystem::path pair_folder;
  std::mutex pairs_mutex;
  std::vector<rsv_rollout::MetricPair> pairs;
  std::string pair_error;
  if (!metrics.empty()) {
    std::string pattern = (std::filesystem::temp_directory_path() / "idmscope-metric-XXXXXX").string();
    if (!mkdtemp(pattern.data())) {
      std::fprintf(stderr, "idmscope rsv eval: cannot create a temp folder for the metric pairs\n");
      return 2;
    }
    pair_folder = pattern;
    settings.on_pair = [&](const std::string& id, const std::vector<uint8_t>& a, const std::vector<uint8_t>& b, int width, int height) {
      size_t number;
      {
        std::lock_guard<std::mutex> lock(pairs_mutex);
        number = pairs.size();
        pairs.push_back({id, pair_folder / ("pair_" + std::to_string(number) + "_a.png"), pair_folder / ("pair_" + std::to_string(number) + "_b.png")});
      }
      std::string failed = write_pair_png(pair_folder / ("pair_" + std::to_string(number) + "_a.png"), a, width, height);
      if (failed.empty()) failed = write_pair_png(pair_folder / ("pair_" + std::to_string(number) + "_b.png"), b, width, height);
      if (!failed.empty()) {
        std::lock_guard<std::mutex> lock(pairs_mutex);
        pair_error = failed;
      }
    };
  }
  rsv_eval::EvalResult result = rsv_eval::evaluate_rollouts(release, runs, settings);
  end_progress_line();
  std::vector<rsv_eval::TableRow> rows = rsv_eval::summarise(result, tiers, settings.bootstrap);
  std::string markdown = rsv_eval::eval_markdown(result, rows, settings, tiers);
  nlohmann::ordered_json metric_json = nlohmann::ordered_json::array();
  bool metric_failed = false;
  for (MetricRun& metric : metrics) {
    if (!pair_error.empty()) metric.answer.error = "cannot write the pairs: " + pair_error;
    else metric.answer = rsv_rollout::run_metric(metric.command, pairs, metric_timeout_s);
    metric_failed = metric_failed || !metric.answer.ok;
    metric_json.push_back(metric_report(metric, result, tiers, settings.bootstrap, markdown));
  }
  if (!pair_folder.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(pair_folder, ec);
  }
  std::fputs(markdown.c_str(), stdout);
  int unscored = 0;
  for (const rsv_eval::ItemScores& item : result.items) {
    for (size_t r = 0; r < runs.size(); ++r) {
      for (const std::string& tier : tiers) {
        const rsv_eval::TierScore& score = tier == "gt" ? item.gt[r] : item.sc[r];
        if (score.psnr_db) continue;
        if (++unscored <= 20) std::printf("unscored %s %s %s: %s\n", runs[r].name.c_str(), tier.c_str(), item.key.c_str(), score.reason.c_str());
      }
    }
  }
  if (unscored > 20) std::printf("... %d unscored in all (--json lists each)\n", unscored);
  auto write = [&](const std::optional<std::string>& path, const std::string& content) {
    if (!path) return true;
    if (write_file_atomically(*path, content, error)) return true;
    std::fprintf(stderr, "idmscope rsv eval: %s\n", error.c_str());
    return false;
  };
  nlohmann::ordered_json document = rsv_eval::eval_json(result, rows, settings, tiers);
  if (!metrics.empty()) document["metrics"] = metric_json;
  if (!write(json_out, document.dump(2) + "\n") || !write(md_out, markdown) ||
      !write(csv_out, rsv_eval::eval_csv(rows)))
    return 2;
  return unscored || metric_failed ? 1 : 0;
}

}  // namespace idm::cli
