// `idmscope bench rsv DIR`: Layer 1 over every metadata file of a release, and Layer 2 per
// trajectory against the ffmpeg CLI computing the same PSNR (rsv.md §5's oracle), both in
// the same run.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "bench_support.hpp"
#include "cli_rsv.hpp"
#include "io/atomic_write.hpp"
#include "rsv/check.hpp"
#include "rsv/image_metrics.hpp"

extern "C" {
#include <libavutil/log.h>
}

namespace idm::cli {

namespace {

const char* kBenchRsvHelp =
    "usage: idmscope bench rsv DIR [--layer2 N] [--repeat R] [--ffmpeg EXE] [--json OUT]\n"
    "  Layer 1: scan DIR, read and check every _meta.json (poses only, one thread), R times (default 3);\n"
    "    prints files, items, best and median seconds (budget: 1,377 files in 5 s).\n"
    "  Layer 2: for the first N items with videos (default 12), the PSNR of their endpoint frames\n"
    "    (video-ends) by idmscope (seek + decode two frames) and by the ffmpeg CLI oracle\n"
    "      ffmpeg -i a.mp4 -i b.mp4 -lavfi \"[0:v]select=eq(n\\,S),setpts=0,format=rgb24[a];\n"
    "             [1:v]select=eq(n\\,E),setpts=0,format=rgb24[b];[a][b]psnr\" -f null -\n"
    "    one after the other in this run; prints both times, their ratio and the largest PSNR difference.\n"
    "  --json OUT writes the figures and every item's two PSNRs.\n";

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}

// Runs the oracle; returns the "average:" PSNR (inf as +infinity) or NaN when it failed.
double oracle_psnr(const std::string& ffmpeg, const std::string& a, int a_frame, const std::string& b, int b_frame,
                   std::string& error) {
  std::string graph = "[0:v]select=eq(n\\," + std::to_string(a_frame) + "),setpts=0,format=rgb24[a];[1:v]select=eq(n\\," +
                      std::to_string(b_frame) + "),setpts=0,format=rgb24[b];[a][b]psnr";
  std::string command = shell_quote(ffmpeg) + " -hide_banner -nostats -nostdin -i " + shell_quote(a) + " -i " + shell_quote(b) +
                        " -lavfi " + shell_quote(graph) + " -f null - 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) {
    error = "cannot run " + ffmpeg;
    return NAN;
  }
  std::string output;
  char buffer[4096];
  while (size_t got = fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, got);
  int status = pclose(pipe);
  size_t at = output.rfind("average:");
  if (status != 0 || at == std::string::npos) {
    error = "ffmpeg gave no PSNR (exit " + std::to_string(status) + "): " + output.substr(output.size() > 300 ? output.size() - 300 : 0);
    return NAN;
  }
  std::string value = output.substr(at + 8, output.find(' ', at + 8) - at - 8);
  if (value == "inf") return INFINITY;
  return std::strtod(value.c_str(), nullptr);
}

}  // namespace

int run_bench_rsv(int argc, char** argv) {
  Args args(argc, argv, 3);
  if (args.wants_help()) {
    std::fputs(kBenchRsvHelp, stdout);
    return 0;
  }
  int layer2_items = args.int_value("--layer2", 12, 0, 100000);
  int repeat = args.int_value("--repeat", 3, 1, 100);
  std::string ffmpeg = args.value("--ffmpeg").value_or("ffmpeg");
  auto json_out = args.value("--json");
  rsv::CheckSettings settings;
  settings.table = load_table_option(args);
  auto positional = args.positionals();
  args.finish();
  if (positional.size() != 1) throw UsageError{"expected one release folder (see --help)"};
  av_log_set_level(AV_LOG_FATAL);

  // Layer 1: everything a `rsv check --no-pixels` does, single-threaded.
  settings.probe_videos = false;
  settings.layer2 = false;
  settings.threads = 1;
  std::vector<double> layer1_seconds;
  size_t items = 0, files = 0, layer1_pass = 0;
  for (int run = 0; run < repeat; ++run) {
    auto started = Clock::now();
    rsv::Release release;
    std::string error;
    if (!rsv::scan_release(positional[0], release, error)) {
      std::fprintf(stderr, "idmscope bench rsv: %s\n", error.c_str());
      return 2;
    }
    rsv::CheckReport report = rsv::run_check(release, settings);
    layer1_seconds.push_back(seconds_since(started));
    items = report.items.size();
    files = 0;
    for (const auto& [split, count] : release.meta_files) files += static_cast<size_t>(count);
    layer1_pass = static_cast<size_t>(std::count_if(report.items.begin(), report.items.end(),
                                                    [](const rsv::ItemResult& item) { return item.layer1.pass == true; }));
  }
  double best = *std::min_element(layer1_seconds.begin(), layer1_seconds.end());
  std::printf("layer 1: %zu metadata files, %zu items (%zu pass), best %.3f s, median %.3f s of %d runs (budget 5 s for 1,377 files)\n",
              files, items, layer1_pass, best, median_of(layer1_seconds), repeat);

  // Layer 2: idmscope and the ffmpeg oracle on the same endpoint pairs.
  nlohmann::ordered_json per_item = nlohmann::ordered_json::array();
  double ours_total = 0.0, oracle_total = 0.0, worst_difference = 0.0;
  int measured = 0, oracle_failures = 0;
  if (layer2_items > 0) {
    rsv::Release release;
    std::string error;
    rsv::scan_release(positional[0], release, error);
    settings.probe_videos = true;
    std::vector<rsv::LoadedItem> loaded = rsv::load_items(release, settings);
    settings.layer2 = true;
    for (const rsv::LoadedItem& item : loaded) {
      if (measured >= layer2_items) break;
      bool usable = item.pairing_ok && !item.members.empty();
      for (const rsv::LoadedMember& member : item.members) usable = usable && member.video_ok && member.meta.parsed && member.video.frames > 0;
      if (!usable) continue;
      auto started = Clock::now();
      rsv::Layer2Result ours = rsv::check_pixels(item, settings);
      double ours_seconds = seconds_since(started);
      if (!ours.psnr_db) continue;
      const rsv::LoadedMember& first = item.members.front();
      const rsv::LoadedMember& second = item.members.back();
      started = Clock::now();
      double oracle = oracle_psnr(ffmpeg, first.files.video_path.string(), ours.frames[0].second,
                                  second.files.video_path.string(), ours.frames[1].second, error);
      double oracle_seconds = seconds_since(started);
      if (std::isnan(oracle)) {
        ++oracle_failures;
        std::fprintf(stderr, "%s: %s\n", item.item->key.c_str(), error.c_str());
        continue;
      }
      double difference = std::isinf(oracle) && std::isinf(*ours.psnr_db) ? 0.0 : std::fabs(oracle - *ours.psnr_db);
      worst_difference = std::max(worst_difference, difference);
      ours_total += ours_seconds;
      oracle_total += oracle_seconds;
      ++measured;
      std::printf("  %-70s frames %3d,%3d  ours %7.3f dB %6.3f s   ffmpeg %7.3f dB %6.3f s\n", item.item->key.c_str(),
                  ours.frames[0].second, ours.frames[1].second, rsv::capped_psnr(*ours.psnr_db), ours_seconds,
                  std::min(oracle, 100.0), oracle_seconds);
      per_item.push_back({{"key", item.item->key},
                          {"frames", {ours.frames[0].second, ours.frames[1].second}},
                          {"psnr_db", rsv::capped_psnr(*ours.psnr_db)},
                          {"oracle_psnr_db", std::min(oracle, 100.0)},
                          {"seconds", ours_seconds},
                          {"oracle_seconds", oracle_seconds}});
    }
    if (measured > 0) {
      std::printf("layer 2: %d items, idmscope %.3f s/item, ffmpeg %.3f s/item: ffmpeg/idmscope = %.2fx; largest PSNR difference %.4f dB\n",
                  measured, ours_total / measured, oracle_total / measured, oracle_total / std::max(ours_total, 1e-9),
                  worst_difference);
    } else {
      std::printf("layer 2: no item with readable videos%s\n", oracle_failures ? " (the oracle failed; is ffmpeg installed?)" : "");
    }
  }
  if (json_out) {
    nlohmann::ordered_json document;
    document["layer1"] = {{"files", files}, {"items", items}, {"best_s", best}, {"median_s", median_of(layer1_seconds)}};
    document["layer2"] = {{"items", measured},
                          {"seconds_per_item", measured ? ours_total / measured : 0.0},
                          {"oracle_seconds_per_item", measured ? oracle_total / measured : 0.0},
                          {"max_psnr_difference_db", worst_difference},
                          {"per_item", per_item}};
    std::string error;
    if (!write_file_atomically(*json_out, document.dump(2) + "\n", error)) {
      std::fprintf(stderr, "idmscope bench rsv: %s\n", error.c_str());
      return 2;
    }
  }
  return oracle_failures ? 1 : 0;
}

}  // namespace idm::cli
