// `idmscope rsv`: the Reasoning-Structured Videos release (summary, check, conventions).
// Headless: no GUI include here, so the CLI can build without GL.
#include "cli_rsv.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>
#include <thread>

#include "cli_commands.hpp"
#include "io/atomic_write.hpp"
#include "rsv/check.hpp"
#include "rsv/image_metrics.hpp"
#include "rsv/structure.hpp"

extern "C" {
#include <libavutil/log.h>
}

namespace idm::cli {

namespace {

const char* kRsvHelp =
    "usage: idmscope rsv <summary|check|conventions|import|rollout|eval|score|predict> DIR [options]   (each takes --help)\n"
    "  DIR: result_dataset/, its parent, one split folder, or a flat folder of run_* files.\n"
    "  summary      a table per split: files, relations, pairs, structure, collisions, frames\n"
    "  check        Layer 1 (poses) and Layer 2 (endpoint pixels) of every item\n"
    "  conventions  each action's measured body-frame delta and a verdict on each assumption\n"
    "  import       copy a world model's rollouts (mp4s or PNG folders) into DIR/.idmscope/rollouts/RUN\n"
    "  rollout      run a world model's program on every trajectory (through the worker) into a rollout run\n"
    "  eval         the card's tables for rollout runs: GT-anchored and self-consistency PSNR per relation\n"
    "  score        an IDM's predicted actions: step accuracy, per-action P/R/F1, confusion, path error\n"
    "  predict      the classical-vision baseline's predicted actions (image shift, parallax, expansion per step)\n";

const char* kCheckHelp =
    "usage: idmscope rsv check DIR [--json OUT] [--endpoints video-ends|closure|S,E] [--phase start|end|inclusive]\n"
    "                          [--psnr-min DB] [--ssim] [--table FILE] [--threads N] [--no-pixels] [--verbose]\n"
    "  Checks every trajectory (and equivalence pair) of the release:\n"
    "  Layer 1, poses: each step within 1 cm of its expected end, expected ends following the kinematics,\n"
    "    steps chained, rotations as the action says, no collision; closure to the root (inverse, loop) or\n"
    "    between the halves (pair) within 1 cm and 0.01 deg.\n"
    "  Layer 2, pixels: PSNR between the two endpoint frames (decoded by seeking, converted like\n"
    "    ffmpeg's format=rgb24) >= --psnr-min (default 30 dB, an assumption: the card gives no tolerance).\n"
    "  --endpoints  video-ends (default): frames 0 and last; a pair: last of A and last of B.\n"
    "               closure: the first frame showing the root and the first of the final frames showing the\n"
    "               end pose, under --phase. S,E: frame S (of A for a pair) against frame E (of B).\n"
    "  --phase      which pose inside a step a frame shows: start (default; frame 9k+j = j/9 of step k),\n"
    "               end ((j+1)/9) or inclusive (j/8). Only `closure` endpoints depend on it.\n"
    "  --json OUT   the report (settings, items, splits), written atomically; PSNR inf is written as 100\n"
    "  --ssim       also SSIM (11x11 Gaussian, per channel)   --no-pixels  Layer 1 only\n"
    "  --table FILE the action conventions (default assets/rsv/conventions.json); when the metadata\n"
    "               contradicts it, the measured effect is used and the report says so\n"
    "  Exit: 0 every item passes, 1 an item fails or has an error, 2 cannot run.\n";

const char* kSummaryHelp =
    "usage: idmscope rsv summary DIR [--table FILE]\n"
    "  Per split: metadata files, videos, items, relation, pairs, structure (inverse K and padding,\n"
    "  loop shapes, pair constructions), collisions and frames per trajectory. Metadata only.\n";

const char* kConventionsHelp =
    "usage: idmscope rsv conventions DIR [--table FILE] [--json OUT] [--write-table OUT]\n"
    "  Measures each action's body-frame delta from every step of the metadata (dp.F, dp.R, dz, dyaw,\n"
    "  dpitch of start -> actual end; F = (cos yaw, sin yaw, 0), R = (-sin yaw, cos yaw, 0)), prints a\n"
    "  histogram per action and a verdict on each assumption of the table (ids, directions, planar moves).\n"
    "  --write-table OUT writes the measured table in the same format as assets/rsv/conventions.json.\n"
    "  Exit: 0 the table holds, 1 the metadata contradicts it, 2 cannot run.\n";

bool stderr_is_terminal() { return isatty(STDERR_FILENO) == 1; }

std::string psnr_text(double psnr_db) {
  if (std::isinf(psnr_db)) return "inf";
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", psnr_db);
  return text;
}

std::string positional_dir(Args& args) {
  auto positional = args.positionals();
  if (positional.size() != 1) throw UsageError{"expected one release folder (see --help)"};
  return positional[0];
}

}  // namespace

rsv::Conventions load_table_option(Args& args) {
  rsv::Conventions table;
  std::string error;
  std::filesystem::path path = rsv::default_conventions_path();
  if (auto given = args.value("--table")) path = *given;
  if (!rsv::load_conventions(path, table, error)) throw UsageError{"conventions table: " + error};
  return table;
}

namespace {
std::chrono::steady_clock::time_point last_progress;
bool progress_shown = false;
}  // namespace

bool load_release(const std::string& dir, rsv::Release& release, const char* command) {
  std::string error;
  if (!rsv::scan_release(dir, release, error)) {
    std::fprintf(stderr, "%s: %s\n", command, error.c_str());
    return false;
  }
  return true;
}

std::function<void(const char*, int, int)> terminal_progress() {
  if (!stderr_is_terminal()) return {};
  return [](const char* stage, int done, int total) {
    auto now = std::chrono::steady_clock::now();
    if (done != total && now - last_progress < std::chrono::milliseconds(200)) return;
    last_progress = now;
    progress_shown = true;
    std::fprintf(stderr, "\r%-8s %d/%d   ", stage, done, total);
    std::fflush(stderr);
  };
}

void end_progress_line() {
  if (progress_shown) std::fputs("\r\033[K", stderr);
  progress_shown = false;
}

int run_rsv_check(int argc, char** argv) {
  Args args(argc, argv, 3);
  if (args.wants_help()) {
    std::fputs(kCheckHelp, stdout);
    return 0;
  }
  rsv::CheckSettings settings;
  if (auto text = args.value("--endpoints")) {
    auto policy = rsv::parse_endpoint_policy(*text);
    if (!policy) throw UsageError{"--endpoints expects video-ends, closure or S,E (two frame numbers), got '" + *text + "'"};
    settings.endpoints = *policy;
  }
  if (auto text = args.value("--phase")) {
    auto phase = rsv::parse_phase(*text);
    if (!phase) throw UsageError{"--phase expects start, end or inclusive, got '" + *text + "'"};
    settings.phase = *phase;
  }
  if (auto text = args.value("--psnr-min")) {
    char* end = nullptr;
    settings.psnr_min_db = std::strtod(text->c_str(), &end);
    if (end == text->c_str() || *end || !std::isfinite(settings.psnr_min_db)) throw UsageError{"--psnr-min expects dB, got '" + *text + "'"};
  }
  settings.ssim = args.flag("--ssim");
  settings.layer2 = !args.flag("--no-pixels");
  bool verbose = args.flag("--verbose");
  settings.threads = args.int_value("--threads", static_cast<int>(std::max(1u, std::min(std::thread::hardware_concurrency(), 8u))), 1, 64);
  auto json_out = args.value("--json");
  settings.table = load_table_option(args);
  std::string dir = positional_dir(args);
  args.finish();
  av_log_set_level(AV_LOG_FATAL);  // a truncated video is reported by us, once
  rsv::Release release;
  if (!load_release(dir, release)) return 2;
  settings.progress = terminal_progress();
  rsv::CheckReport report = rsv::run_check(release, settings);
  end_progress_line();

  std::printf("settings: endpoints %s, phase %s, psnr-min %.1f dB%s\n", rsv::endpoint_policy_name(settings.endpoints).c_str(),
              rsv::phase_name(settings.phase), settings.psnr_min_db, settings.layer2 ? "" : ", Layer 2 off");
  for (const rsv::Diagnostic& note : release.notes) {
    std::printf("%c %s\n", rsv::severity_letter(note.severity), rsv::diagnostic_line(note).c_str());
  }
  for (const std::string& name : report.conventions_used) {
    for (const rsv::ActionMeasurement& action : report.measured.actions) {
      if (action.name != name) continue;
      std::printf("N conventions: %s disagrees with the table (%s); the checks use the measured effect\n", name.c_str(),
                  action.findings.empty() ? "" : action.findings.front().c_str());
    }
  }
  int notes = 0;
  for (const rsv::ItemResult& item : report.items) {
    bool failed = item.layer1.pass == false || item.layer2.pass == false || rsv::has_errors(item.diagnostics);
    bool warned = std::any_of(item.diagnostics.begin(), item.diagnostics.end(),
                              [](const rsv::Diagnostic& d) { return d.severity == rsv::Severity::Warning; });
    if (failed || warned || verbose) {
      std::string l1 = item.layer1.pass ? (*item.layer1.pass ? "pass" : "FAIL") : "-";
      std::string l2 = item.layer2.pass ? (*item.layer2.pass ? "pass" : "FAIL") : "-";
      std::printf("%s %s  layer1 %s  layer2 %s", failed ? "FAIL" : "ok  ", item.key.c_str(), l1.c_str(), l2.c_str());
      if (item.layer2.psnr_db) std::printf(" (%s dB)", psnr_text(*item.layer2.psnr_db).c_str());
      std::printf("\n");
      if (!item.layer1.reason.empty()) std::printf("    layer1: %s\n", item.layer1.reason.c_str());
      if (!item.layer2.reason.empty()) std::printf("    layer2: %s\n", item.layer2.reason.c_str());
    }
    for (const rsv::Diagnostic& diagnostic : item.diagnostics) {
      if (diagnostic.severity == rsv::Severity::Note && !verbose) {
        ++notes;
        continue;
      }
      std::printf("    %c %s\n", rsv::severity_letter(diagnostic.severity), rsv::diagnostic_line(diagnostic).c_str());
    }
  }
  nlohmann::ordered_json document = rsv::report_json(report, settings);
  std::printf("\n%-18s %6s %6s %8s %8s %9s %9s %9s\n", "split", "items", "errors", "L1 pass", "L2 pass", "PSNR min", "p5", "median");
  for (const auto& [name, split] : document["splits"].items()) {
    std::printf("%-18s %6d %6d %8d %8d", name.c_str(), split["items"].get<int>(), split["errors"].get<int>(),
                split["layer1_pass"].get<int>(), split["layer2_pass"].get<int>());
    if (split["psnr_db"].is_null()) std::printf(" %9s %9s %9s\n", "-", "-", "-");
    else
      std::printf(" %9.2f %9.2f %9.2f\n", split["psnr_db"]["min"].get<double>(), split["psnr_db"]["p5"].get<double>(),
                  split["psnr_db"]["median"].get<double>());
  }
  if (notes) std::printf("%d notes not shown (--verbose or --json)\n", notes);
  if (json_out) {
    std::string error;
    if (!write_file_atomically(*json_out, document.dump(2) + "\n", error)) {
      std::fprintf(stderr, "idmscope rsv check: %s\n", error.c_str());
      return 2;
    }
  }
  return report.any_failure() ? 1 : 0;
}

int run_rsv_summary(int argc, char** argv) {
  Args args(argc, argv, 3);
  if (args.wants_help()) {
    std::fputs(kSummaryHelp, stdout);
    return 0;
  }
  rsv::CheckSettings settings;
  settings.table = load_table_option(args);
  settings.probe_videos = false;
  settings.layer2 = false;
  std::string dir = positional_dir(args);
  args.finish();
  rsv::Release release;
  if (!load_release(dir, release)) return 2;
  settings.progress = terminal_progress();
  std::vector<rsv::LoadedItem> loaded = rsv::load_items(release, settings);
  end_progress_line();
  struct Tally {
    int meta = 0, videos = 0, items = 0, pairs = 0, errors = 0, collisions = 0;
    std::map<std::string, int> relations, structures, frames;
  };
  std::map<std::string, Tally> tallies;
  for (const rsv::LoadedItem& item : loaded) {
    Tally& tally = tallies[item.item->split];
    ++tally.items;
    if (item.item->is_pair) ++tally.pairs;
    if (rsv::has_errors(item.diagnostics)) ++tally.errors;
    ++tally.relations[item.relation.empty() ? "?" : item.relation];
    for (const rsv::LoadedMember& member : item.members) {
      if (!member.files.meta_path.empty()) ++tally.meta;
      if (!member.files.video_path.empty()) ++tally.videos;
      if (member.meta.has_collision) ++tally.collisions;
      if (member.meta.total_frames) ++tally.frames[std::to_string(member.meta.total_frames)];
    }
    rsv::ItemResult poses = rsv::check_poses(item, settings.table);
    std::string structure = poses.structure;
    if (structure.empty()) structure = "?";
    else if (item.relation == "inverse" && structure.starts_with("K=")) {
      rsv::InverseStructure inverse = rsv::inverse_structure(item.members[0].meta.actions);
      structure = "pad " + (inverse.pad_steps ? inverse.padding : std::string("none"));
      ++tally.structures["K " + std::to_string(inverse.k)];
    } else if (item.relation == "loop") {
      structure = structure.substr(0, structure.find(' '));
    }
    ++tally.structures[structure];
  }
  auto join = [](const std::map<std::string, int>& counts) {
    std::string text;
    for (const auto& [name, count] : counts) text += (text.empty() ? "" : ", ") + name + " " + std::to_string(count);
    return text.empty() ? std::string("-") : text;
  };
  std::printf("%s: %zu splits\n", dir.c_str(), release.splits.size());
  for (const rsv::Diagnostic& note : release.notes) {
    std::printf("%c %s\n", rsv::severity_letter(note.severity), rsv::diagnostic_line(note).c_str());
  }
  for (const std::string& split : release.splits) {
    const Tally& tally = tallies[split];
    std::printf("\n%s\n", split.c_str());
    std::printf("  files      %d metadata, %d videos\n", tally.meta, tally.videos);
    std::printf("  items      %d (%d pairs), %d with errors\n", tally.items, tally.pairs, tally.errors);
    std::printf("  relations  %s\n", join(tally.relations).c_str());
    std::printf("  structure  %s\n", join(tally.structures).c_str());
    std::printf("  collision  %d trajectories\n", tally.collisions);
    std::printf("  frames     %s\n", join(tally.frames).c_str());
  }
  return 0;
}

int run_rsv_conventions(int argc, char** argv) {
  Args args(argc, argv, 3);
  if (args.wants_help()) {
    std::fputs(kConventionsHelp, stdout);
    return 0;
  }
  rsv::CheckSettings settings;
  settings.table = load_table_option(args);
  settings.probe_videos = false;
  settings.layer2 = false;
  auto json_out = args.value("--json");
  auto table_out = args.value("--write-table");
  std::string dir = positional_dir(args);
  args.finish();
  rsv::Release release;
  if (!load_release(dir, release)) return 2;
  settings.progress = terminal_progress();
  std::vector<rsv::LoadedItem> loaded = rsv::load_items(release, settings);
  end_progress_line();
  std::vector<const rsv::RsvMeta*> metas;
  for (const rsv::LoadedItem& item : loaded) {
    for (const rsv::LoadedMember& member : item.members) metas.push_back(&member.meta);
  }
  rsv::ConventionsMeasurement measured = rsv::measure_conventions(metas, settings.table);
  std::printf("%d trajectories with valid steps; deltas in the body frame of each step's start (cm, deg)\n\n",
              measured.trajectories);
  nlohmann::ordered_json actions = nlohmann::ordered_json::array();
  for (size_t i = 0; i < measured.actions.size(); ++i) {
    const rsv::ActionMeasurement& action = measured.actions[i];
    const rsv::ActionEffect& table = settings.table.actions[i];
    std::printf("%-14s id %d  %5d steps  table (F %g, R %g, Z %g, yaw %g, pitch %g) [%s]\n", action.name.c_str(), table.id,
                action.steps, table.forward_cm, table.right_cm, table.up_cm, table.yaw_deg, table.pitch_deg, table.status.c_str());
    nlohmann::ordered_json histograms;
    for (const auto& [component, histogram] : action.histograms) {
      std::string line;
      std::vector<std::pair<double, int>> bins(histogram.begin(), histogram.end());
      std::sort(bins.begin(), bins.end(), [](const auto& x, const auto& y) { return x.second > y.second; });
      nlohmann::ordered_json bins_json = nlohmann::ordered_json::array();
      for (size_t b = 0; b < bins.size(); ++b) {
        if (b < 4) {
          char text[64];
          std::snprintf(text, sizeof text, "%s%g x%d", b ? ", " : "", bins[b].first, bins[b].second);
          line += text;
        }
        bins_json.push_back({bins[b].first, bins[b].second});
      }
      if (bins.size() > 4) line += ", ... (" + std::to_string(bins.size()) + " values)";
      std::printf("    %-10s %s\n", component.c_str(), line.c_str());
      histograms[component] = bins_json;
    }
    std::printf("    verdict    %s", action.verdict.c_str());
    if (action.steps) std::printf(" (%d of %d steps agree)", action.agreeing, action.steps);
    if (action.moves_with_pitch) std::printf("; planar: %d moves at non-zero pitch, %d leave the plane", action.moves_with_pitch, action.moves_with_pitch_off_plane);
    std::printf("\n");
    for (const std::string& finding : action.findings) std::printf("    !          %s\n", finding.c_str());
    nlohmann::ordered_json entry;
    entry["name"] = action.name;
    entry["steps"] = action.steps;
    entry["agreeing"] = action.agreeing;
    entry["verdict"] = action.verdict;
    entry["findings"] = action.findings;
    entry["table"] = {{"id", table.id}, {"forward_cm", table.forward_cm}, {"right_cm", table.right_cm}, {"up_cm", table.up_cm},
                      {"yaw_deg", table.yaw_deg}, {"pitch_deg", table.pitch_deg}};
    int id = action.action_ids.empty() ? -1 : std::max_element(action.action_ids.begin(), action.action_ids.end(),
                                                                [](const auto& x, const auto& y) { return x.second < y.second; })->first;
    entry["measured"] = {{"id", id}, {"forward_cm", action.median.forward_cm}, {"right_cm", action.median.right_cm},
                         {"up_cm", action.median.up_cm}, {"yaw_deg", action.median.yaw_deg}, {"pitch_deg", action.median.pitch_deg}};
    entry["histograms"] = histograms;
    actions.push_back(entry);
  }
  std::vector<std::string> contradicted = measured.contradicted_names();
  if (contradicted.empty()) std::printf("\nthe table holds on every measured action\n");
  else {
    std::string names;
    for (const std::string& name : contradicted) names += (names.empty() ? "" : ", ") + name;
    std::printf("\nMISMATCH: the metadata contradicts the table for %s\n", names.c_str());
  }
  std::string error;
  if (json_out) {
    nlohmann::ordered_json document;
    document["trajectories"] = measured.trajectories;
    document["actions"] = actions;
    document["contradicted"] = contradicted;
    if (!write_file_atomically(*json_out, document.dump(2) + "\n", error)) {
      std::fprintf(stderr, "idmscope rsv conventions: %s\n", error.c_str());
      return 2;
    }
  }
  if (table_out) {
    rsv::Conventions measured_table = settings.table;
    for (size_t i = 0; i < measured.actions.size(); ++i) {
      const rsv::ActionMeasurement& action = measured.actions[i];
      rsv::ActionEffect& effect = measured_table.actions[i];
      if (action.steps == 0) continue;
      auto round_to = [](double value, double step) { return std::round(value / step) * step + 0.0; };
      effect.forward_cm = round_to(action.median.forward_cm, 0.1);
      effect.right_cm = round_to(action.median.right_cm, 0.1);
      effect.up_cm = round_to(action.median.up_cm, 0.1);
      effect.yaw_deg = round_to(action.median.yaw_deg, 0.001);
      effect.pitch_deg = round_to(action.median.pitch_deg, 0.001);
      if (!action.action_ids.empty())
        effect.id = std::max_element(action.action_ids.begin(), action.action_ids.end(),
                                     [](const auto& x, const auto& y) { return x.second < y.second; })->first;
      effect.status = "measured";
      effect.why = "median over " + std::to_string(action.steps) + " steps";
    }
    if (!write_file_atomically(*table_out, rsv::conventions_json(measured_table), error)) {
      std::fprintf(stderr, "idmscope rsv conventions: %s\n", error.c_str());
      return 2;
    }
  }
  return contradicted.empty() ? 0 : 1;
}

int run_rsv(int argc, char** argv) {
  std::string sub = argc >= 3 ? argv[2] : "";
  if (sub.empty() || sub == "--help" || sub == "-h" || sub == "help") {
    std::fputs(kRsvHelp, sub.empty() ? stderr : stdout);
    return sub.empty() ? 2 : 0;
  }
  if (sub == "summary") return run_rsv_summary(argc, argv);
  if (sub == "check") return run_rsv_check(argc, argv);
  if (sub == "conventions") return run_rsv_conventions(argc, argv);
  if (sub == "import") return run_rsv_import(argc, argv);
  if (sub == "eval") return run_rsv_eval(argc, argv);
  if (sub == "rollout") return run_rsv_rollout(argc, argv);
  if (sub == "score") return run_rsv_score(argc, argv);
  if (sub == "predict") return run_rsv_predict(argc, argv);
  throw UsageError{"unknown rsv command '" + sub + "' (summary, check, conventions, import, eval, rollout, score, predict)"};
}

}  // namespace idm::cli
