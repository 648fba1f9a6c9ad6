// `idmscope rsv rollout`: a world model's program on every trajectory, through the worker.
// Headless: no GUI include here.
#include <signal.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <set>

#include "cli_rsv.hpp"
#include "infer/infer_run.hpp"
#include "rsv/check.hpp"
#include "rsv_rollout/rollout_run.hpp"

extern "C" {
#include <libavutil/log.h>
}

namespace idm::cli {

namespace {

const char* kRolloutHelp =
    "usage: idmscope rsv rollout DIR --run NAME --command PROGRAM [--command-arg A]... [--concurrency K]\n"
    "                            [--splits S[,S...]] [--timeout SECONDS] [--seed S] [--worker PATH]\n"
    "  Runs PROGRAM (no shell) once per trajectory in the worker and stores its frames as the rollout run\n"
    "  DIR/.idmscope/rollouts/NAME/ (then: idmscope rsv eval DIR --rollouts NAME). PROGRAM reads on stdin\n"
    "  {\"context\": [PNG paths], \"actions\", \"action_ids\", \"grid\": {\"translation_cm\", \"yaw_deg\", \"pitch_deg\"},\n"
    "   \"fps\", \"frames_per_step\", \"seed\", \"out_dir\", \"width\", \"height\", \"key\"}, writes out_dir/frame_%05d.png\n"
    "  (or out_dir/rollout.mp4) and ends stdout with {\"ok\": true, \"frames\": N, \"includes_context\": B, \"fps\": F}\n"
    "  (docs/rsv-rollout-protocol.md). Up to K programs run at once (default 1). A crash, a timeout (default\n"
    "  600 s), a bad last line or too few frames fails that trajectory with the program's log; run again to\n"
    "  resume: complete trajectories are kept. Ctrl-C cancels.\n"
    "  Exit: 0 every trajectory has a rollout, 1 some failed or were cancelled, 2 cannot run.\n";

std::atomic<bool> g_cancel{false};
void on_interrupt(int) { g_cancel = true; }

}  // namespace

int run_rsv_rollout(int argc, char** argv) {
  Args args(argc, argv, 3);
  if (args.wants_help()) {
    std::fputs(kRolloutHelp, stdout);
    return 0;
  }
  rsv_rollout::RolloutRunOptions options;
  auto run = args.value("--run");
  auto command = args.value("--command");
  std::vector<std::string> command_args = args.values("--command-arg");
  options.concurrency = args.int_value("--concurrency", 1, 1, 256);
  options.timeout_s = args.int_value("--timeout", 600, 1, 7 * 24 * 3600);
  options.seed = static_cast<uint64_t>(args.int_value("--seed", 1, 0, 2'000'000'000));
  auto worker = args.value("--worker");
  std::set<std::string> splits;
  for (const std::string& value : args.values("--splits")) {
    size_t begin = 0;
    while (true) {
      size_t comma = value.find(',', begin);
      std::string name = value.substr(begin, comma == std::string::npos ? std::string::npos : comma - begin);
      if (!name.empty()) splits.insert(name);
      if (comma == std::string::npos) break;
      begin = comma + 1;
    }
  }
  rsv::CheckSettings load;
  load.table = load_table_option(args);
  auto positional = args.positionals();
  args.finish();
  if (positional.size() != 1) throw UsageError{"expected one release folder (see --help)"};
  if (!run) throw UsageError{"--run NAME is required"};
  if (!command) throw UsageError{"--command PROGRAM is required"};
  av_log_set_level(AV_LOG_FATAL);
  rsv::Release release;
  std::string error;
  if (!load_release(positional[0], release, "idmscope rsv rollout")) return 2;
  for (const std::string& split : splits) {
    if (std::find(release.splits.begin(), release.splits.end(), split) == release.splits.end())
      throw UsageError{"--splits: no split '" + split + "' in the release"};
  }
  load.probe_videos = true;
  load.layer2 = false;
  std::vector<rsv::LoadedItem> loaded = rsv::load_items(release, load);
  int skipped_items = 0;
  for (const rsv::LoadedItem& item : loaded) {
    if (!splits.empty() && !splits.count(item.item->split)) continue;
    for (const rsv::LoadedMember& member : item.members) {
      if (!member.meta.parsed || member.meta.actions.empty() || !member.video_ok) {
        ++skipped_items;
        std::printf("N %s: left out (%s)\n", member.files.key.c_str(), !member.video_ok ? "no readable video" : "no action sequence");
        continue;
      }
      rsv_rollout::RolloutTrajectory trajectory;
      trajectory.key = member.files.key;
      trajectory.gt_video = member.files.video_path;
      trajectory.actions = member.meta.actions;
      for (const std::string& action : member.meta.actions) {
        const rsv::ActionEffect* effect = load.table.find(action);
        trajectory.action_ids.push_back(effect ? effect->id : -1);
      }
      trajectory.width = member.video.width;
      trajectory.height = member.video.height;
      trajectory.frames_per_step = member.meta.frames_per_step > 0 ? member.meta.frames_per_step : 9;
      options.trajectories.push_back(trajectory);
    }
  }
  options.release_root = release.root;
  options.run = *run;
  options.command = {*command};
  options.command.insert(options.command.end(), command_args.begin(), command_args.end());
  options.worker.argv = {worker ? *worker : infer::default_worker_path().string()};
  options.cancel = &g_cancel;
  const bool tty = isatty(STDERR_FILENO) == 1;
  options.progress = [tty](int done, int total) {
    if (tty) std::fprintf(stderr, "\rrollout %d/%d   ", done, total);
  };
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  ::signal(SIGPIPE, SIG_IGN);
  rsv_rollout::RolloutRunReport report;
  bool started = rsv_rollout::run_rollouts(options, report, error);
  if (tty) std::fputs("\r\033[K", stderr);
  if (!started) {
    std::fprintf(stderr, "idmscope rsv rollout: %s\n", error.c_str());
    return 2;
  }
  for (const rsv_rollout::RolloutOutcome& outcome : report.trajectories) {
    if (outcome.status == "complete" || outcome.status == "skipped") continue;
    std::printf("%s %s: %s\n", outcome.status == "failed" ? "FAILED" : "cancelled", outcome.key.c_str(), outcome.error.c_str());
    for (const std::string& line : outcome.log) std::printf("    | %s\n", line.c_str());
  }
  if (!report.failure.empty()) {
    std::printf("the worker failed: %s\nthe worker's last log lines:\n", report.failure.c_str());
    size_t from = report.log.size() > 20 ? report.log.size() - 20 : 0;
    for (size_t i = from; i < report.log.size(); ++i) std::printf("    | %s\n", report.log[i].c_str());
  }
  std::printf("run %s: %d complete, %d resumed (already complete), %d failed, %d cancelled in %.2f s -> %s\n", run->c_str(),
              report.complete, report.skipped, report.failed, report.cancelled, report.wall_seconds, report.run_folder.string().c_str());
  return report.failed || report.cancelled || skipped_items ? 1 : 0;
}

}  // namespace idm::cli
