// `idmscope bench rollout`: K concurrent rollout programs of a fixed latency through the worker.
// The wall time of N trajectories should be close to N * latency / K (the bound: 1.1x), against
// K = 1 in the same run as the baseline. The program is idmscope itself
// (`bench rollout-model`: sleeps, leaves an empty rollout.mp4, answers ok), so the figure
// measures the worker's scheduling, not a model.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <thread>

#include <nlohmann/json.hpp>

#include "bench_support.hpp"
#include "cli_rsv.hpp"
#include "infer/infer_run.hpp"
#include "rsv/check.hpp"
#include "rsv_eval/rollout_store.hpp"
#include "rsv_rollout/rollout_run.hpp"
#include "rsv_synth/release_writer.hpp"

extern "C" {
#include <libavutil/log.h>
}

namespace idm::cli {

namespace {

const char* kBenchRolloutHelp =
    "usage: idmscope bench rollout [--k 4] [--latency-ms 1000] [--per-split 2] [--worker PATH] [--keep DIR]\n"
    "  Writes a tiny synthetic release (64x64), then runs a fixed-latency rollout program on every trajectory\n"
    "  through the worker with concurrency 1 and K. Prints the wall time at K against the total latency / K, where\n"
    "  the total latency is the sum of each program's time at K = 1 (the same run); the bound is 1.1x.\n";

}  // namespace

// The fixed-latency model: reads the request, sleeps, leaves out_dir/rollout.mp4, answers ok.
int run_bench_rollout_model(int argc, char** argv) {
  int latency_ms = argc >= 4 ? std::atoi(argv[3]) : 100;
  std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  nlohmann::json request = nlohmann::json::parse(text, nullptr, false);
  if (request.is_discarded() || !request.contains("out_dir")) {
    std::printf("{\"ok\": false, \"error\": \"bad request\"}\n");
    return 1;
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(latency_ms));
  std::filesystem::path out_dir = request["out_dir"].get<std::string>();
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  std::ofstream(out_dir / "rollout.mp4").put('\0');
  int frames = static_cast<int>(request.value("actions", nlohmann::json::array()).size()) * request.value("frames_per_step", 9);
  std::printf("{\"ok\": true, \"frames\": %d, \"includes_context\": false, \"fps\": 16}\n", frames);
  return 0;
}

int run_bench_rollout(int argc, char** argv) {
  Args args(argc, argv, 3);
  if (args.wants_help()) {
    std::fputs(kBenchRolloutHelp, stdout);
    return 0;
  }
  int k = args.int_value("--k", 4, 1, 64);
  int latency_ms = args.int_value("--latency-ms", 1000, 1, 60000);
  int per_split = args.int_value("--per-split", 2, 1, 50);
  auto worker = args.value("--worker");
  auto keep = args.value("--keep");
  args.finish();
  av_log_set_level(AV_LOG_FATAL);
  namespace fs = std::filesystem;
  fs::path root = keep ? fs::path(*keep) : fs::temp_directory_path() / ("idmscope-bench-rollout-" + std::to_string(::getpid()));
  rsv_synth::RsvSynthOptions synth;
  synth.out_dir = root / "result_dataset";
  synth.width_px = 64;
  synth.height_px = 64;
  synth.per_split = per_split;
  synth.planted = false;
  synth.threads = 2;
  std::string error;
  if (!rsv::load_conventions(rsv::default_conventions_path(), synth.table, error)) {
    std::fprintf(stderr, "idmscope bench rollout: %s\n", error.c_str());
    return 2;
  }
  rsv_synth::RsvSynthStats stats;
  if (!rsv_synth::write_synthetic_release(synth, stats, error)) {
    std::fprintf(stderr, "idmscope bench rollout: %s\n", error.c_str());
    return 2;
  }
  rsv::Release release;
  if (!rsv::scan_release(synth.out_dir, release, error)) {
    std::fprintf(stderr, "idmscope bench rollout: %s\n", error.c_str());
    return 2;
  }
  rsv::CheckSettings load;
  load.table = synth.table;
  load.layer2 = false;
  std::vector<rsv::LoadedItem> loaded = rsv::load_items(release, load);
  rsv_rollout::RolloutRunOptions options;
  options.release_root = release.root;
  for (const rsv::LoadedItem& item : loaded) {
    for (const rsv::LoadedMember& member : item.members) {
      rsv_rollout::RolloutTrajectory trajectory;
      trajectory.key = member.files.key;
      trajectory.gt_video = member.files.video_path;
      trajectory.actions = member.meta.actions;
      trajectory.action_ids.assign(trajectory.actions.size(), 0);
      trajectory.width = member.video.width;
      trajectory.height = member.video.height;
      options.trajectories.push_back(trajectory);
    }
  }
  std::error_code ec;
  std::string self = fs::read_symlink("/proc/self/exe", ec).string();
  options.command = {self, "bench", "rollout-model", std::to_string(latency_ms)};
  options.worker.argv = {worker ? *worker : infer::default_worker_path().string()};
  const int n = static_cast<int>(options.trajectories.size());
  double walls[2] = {0, 0};
  double total_latency = 0.0;  // the sum of each trajectory's time at K = 1 (program start-up included)
  int concurrency[2] = {1, k};
  for (int pass = 0; pass < 2; ++pass) {
    options.run = "bench-k" + std::to_string(concurrency[pass]);
    options.concurrency = concurrency[pass];
    fs::remove_all(rsv_eval::run_dir(release.root, options.run), ec);
    rsv_rollout::RolloutRunReport report;
    if (!rsv_rollout::run_rollouts(options, report, error) || report.complete != n) {
      std::fprintf(stderr, "idmscope bench rollout: %s (%d of %d complete) %s\n", error.c_str(), report.complete, n, report.failure.c_str());
      return 2;
    }
    walls[pass] = report.wall_seconds;
    if (pass == 0) {
      for (const rsv_rollout::RolloutOutcome& outcome : report.trajectories) total_latency += outcome.seconds;
    }
  }
  double ideal = total_latency / k;
  double ratio = walls[1] / ideal;
  std::printf("rollout programs: %d trajectories, sleep %d ms each\n", n, latency_ms);
  std::printf("  K=1   wall %.2f s; total latency %.2f s (sum of the %d programs' times, start-up included; N x sleep = %.2f s)\n",
              walls[0], total_latency, n, n * latency_ms / 1000.0);
  std::printf("  K=%-3d wall %.2f s  (total latency / K = %.2f s)  ratio %.3f  bound 1.1: %s\n", k, walls[1], ideal, ratio,
              ratio <= 1.1 ? "pass" : "FAIL");
  if (!keep) fs::remove_all(root, ec);
  return ratio <= 1.1 ? 0 : 1;
}

}  // namespace idm::cli
