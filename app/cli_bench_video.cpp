// `idmscope bench video VIDEO...`: the video engine's figures against the ffmpeg CLI,
// measured in the same run on the same file.
#include <algorithm>
#include <cstdio>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <sys/resource.h>

#include "bench_support.hpp"
#include "cli_args.hpp"
#include "cli_commands.hpp"
#include "video/decode_service.hpp"
#include "video/grid_decoder.hpp"

namespace idm::cli {

namespace {

using namespace std::chrono_literals;

struct LatencyStats {
  double median_ms = 0, p95_ms = 0, max_ms = 0;
};

LatencyStats stats_of(const std::vector<double>& seconds) {
  LatencyStats out;
  if (seconds.empty()) return out;
  out.median_ms = median_of(seconds) * 1e3;
  out.p95_ms = percentile_of(seconds, 0.95) * 1e3;
  out.max_ms = *std::max_element(seconds.begin(), seconds.end()) * 1e3;
  return out;
}

// Index + grid map + one-pass decode of every grid frame to RGBA: what `frames --null` does.
bool fill_grid_once(const std::string& video, double fps, double& seconds, int& grid_length, std::string& error) {
  Clock::time_point start = Clock::now();
  FrameIndex index;
  if (!build_frame_index(video, index, error)) return false;
  GridMap map = build_grid_map(index, fps);
  grid_length = map.length();
  if (!decode_grid_rgba(video, index, map, [](const GridFrameRgba&) { return true; }, error)) return false;
  seconds = seconds_since(start);
  return true;
}

// Waits for the event answering a seek of `generation`; returns the latency, or < 0.
double await_frame(DecodeService& service, uint64_t generation, Clock::time_point asked) {
  DecodeEvent event;
  while (service.wait_event(event, 30s)) {
    if (event.generation != generation) continue;
    if (event.kind == DecodeEvent::Kind::Error) return -1;
    if (event.kind == DecodeEvent::Kind::GridFrame || event.kind == DecodeEvent::Kind::NativeFrame) return seconds_since(asked);
  }
  return -1;
}

// Opens the clip and waits until its whole grid is in (returns the grid length, or -1).
int open_and_fill(DecodeService& service, const std::string& video, uint64_t& generation, double* first_frame_seconds) {
  Clock::time_point start = Clock::now();
  generation = service.open(video);
  DecodeEvent event;
  int length = -1;
  bool first = true;
  while (service.wait_event(event, 30s)) {
    if (event.generation != generation) continue;
    if (event.kind == DecodeEvent::Kind::Error) return -1;
    if (event.kind == DecodeEvent::Kind::Opened) length = event.clip->grid.length();
    if (event.kind == DecodeEvent::Kind::GridFrame) {
      if (first && first_frame_seconds) *first_frame_seconds = seconds_since(start);
      first = false;
      if (event.grid_frame == length - 1) return length;
    }
  }
  return -1;
}

int bench_one(const std::string& video, double fps, int repeat, unsigned threads) {
  std::printf("%s\n", video.c_str());
  // 1. Fill the grid: ours vs the ffmpeg CLI (best of `repeat` each, interleaved).
  std::vector<double> ours, theirs;
  int grid_length = 0;
  std::string error;
  std::vector<std::string> ffmpeg = {"ffmpeg", "-nostdin", "-loglevel", "error", "-threads", std::to_string(threads), "-i", video,
                                     "-vf", "fps=" + std::to_string(fps), "-pix_fmt", "rgba", "-f", "null", "-"};
  for (int r = 0; r < repeat; ++r) {
    double seconds = 0;
    if (!fill_grid_once(video, fps, seconds, grid_length, error)) {
      std::fprintf(stderr, "idmscope bench: %s: %s\n", video.c_str(), error.c_str());
      return 1;
    }
    ours.push_back(seconds);
    ChildRun run = run_and_time(ffmpeg);
    if (!run.exited_zero) {
      std::fprintf(stderr, "idmscope bench: ffmpeg CLI on %s: %s\n", video.c_str(), run.error.c_str());
      return 1;
    }
    theirs.push_back(run.seconds);
  }
  double our_best = *std::min_element(ours.begin(), ours.end());
  double their_best = *std::min_element(theirs.begin(), theirs.end());
  std::printf("  grid           %d frames at %g fps\n", grid_length, fps);
  std::printf("  fill grid      idmscope best %.3f s, ffmpeg -threads %u best %.3f s: ratio %.2fx (target <= 1.1x)\n", our_best,
              threads, their_best, our_best / their_best);

  // 2. Cold first frame: a fresh service opening the clip.
  std::vector<double> first_frames;
  for (int r = 0; r < repeat; ++r) {
    DecodeService service(512u << 20, fps);
    uint64_t generation = 0;
    double first = 0;
    if (open_and_fill(service, video, generation, &first) < 0) {
      std::fprintf(stderr, "idmscope bench: %s: cannot open in the decode service\n", video.c_str());
      return 1;
    }
    first_frames.push_back(first);
  }
  std::printf("  first frame    cold open -> first grid frame: median %.1f ms, best %.1f ms (target <= 60 ms)\n",
              median_of(first_frames) * 1e3, *std::min_element(first_frames.begin(), first_frames.end()) * 1e3);

  // 3. Seeks to every grid frame in random order: cold (nothing cached: decode from a
  //    keyframe) and warm (served from the cache), as the UI sees them.
  std::vector<int> order(static_cast<size_t>(grid_length));
  for (int k = 0; k < grid_length; ++k) order[static_cast<size_t>(k)] = k;
  std::shuffle(order.begin(), order.end(), std::mt19937(42));
  std::vector<double> cold, warm, lookups;
  {
    DecodeService service(1, fps);  // keeps one frame: every seek decodes
    uint64_t generation = 0;
    if (open_and_fill(service, video, generation, nullptr) < 0) return 1;
    for (int k : order) {
      service.seek_grid(k, generation);
      double latency = await_frame(service, generation, Clock::now());
      if (latency >= 0) cold.push_back(latency);
    }
  }
  DecodeService service(512u << 20, fps);
  uint64_t generation = 0;
  if (open_and_fill(service, video, generation, nullptr) < 0) return 1;
  for (int k : order) {
    Clock::time_point asked = Clock::now();
    service.seek_grid(k, generation);
    double latency = await_frame(service, generation, asked);
    if (latency >= 0) warm.push_back(latency);
  }
  // The upload path: a cache lookup on the main thread (no thread hop, no allocation).
  FrameIndex index;
  if (build_frame_index(video, index, error)) {
    GridMap map = build_grid_map(index, fps);
    uint64_t clip_id = 1;  // the first clip a fresh service opens
    for (int round = 0; round < 20; ++round) {
      for (int k : order) {
        Clock::time_point start = Clock::now();
        auto frame = service.cache().find({clip_id, map.source_frame_index[static_cast<size_t>(k)]});
        lookups.push_back(seconds_since(start));
        if (!frame) lookups.pop_back();
      }
    }
  }
  LatencyStats cold_stats = stats_of(cold), warm_stats = stats_of(warm);
  std::printf("  seek cold      %zu seeks: median %.1f ms, p95 %.1f ms, max %.1f ms\n", cold.size(), cold_stats.median_ms,
              cold_stats.p95_ms, cold_stats.max_ms);
  std::printf("  seek warm      %zu seeks: median %.3f ms, p95 %.3f ms, max %.3f ms (via the service thread)\n", warm.size(),
              warm_stats.median_ms, warm_stats.p95_ms, warm_stats.max_ms);
  if (!lookups.empty()) {
    std::printf("  cached lookup  %zu lookups: median %.2f us, max %.2f us (target well under 1 ms)\n", lookups.size(),
                median_of(lookups) * 1e6, *std::max_element(lookups.begin(), lookups.end()) * 1e6);
  }
  std::printf("  memory         cache %s for %zu frames; peak RSS of this process %s, of ffmpeg runs %s\n",
              mib(service.cache().bytes()).c_str(), service.cache().frames(), mib(peak_rss_bytes(RUSAGE_SELF)).c_str(),
              mib(peak_rss_bytes(RUSAGE_CHILDREN)).c_str());
  return 0;
}

const char* kHelp =
    "usage: idmscope bench video VIDEO... [--fps 5] [--repeat 3] [--threads N]\n"
    "  For each file, in the same run: the time to fill the whole grid (index + one-pass decode to\n"
    "  RGBA) against `ffmpeg -threads N -i VIDEO -vf fps=5 -pix_fmt rgba -f null -` (best of R each,\n"
    "  as a ratio); the cold first-frame time of a fresh decode service; cold and warm seek latency\n"
    "  (median/p95/max over every grid frame, random order); the cached-frame lookup time; memory.\n";

}  // namespace

int run_bench_video(int argc, char** argv) {
  Args args(argc, argv, 3);
  if (args.wants_help()) {
    std::fputs(kHelp, stdout);
    return 0;
  }
  int fps = args.int_value("--fps", 5, 1, 240);
  int repeat = args.int_value("--repeat", 3, 1, 100);
  int threads = args.int_value("--threads", static_cast<int>(std::max(1u, std::thread::hardware_concurrency())), 1, 64);
  auto videos = args.positionals();
  args.finish();
  if (videos.empty()) throw UsageError{"give at least one VIDEO (see --help)"};
  int status = 0;
  for (const std::string& video : videos) status |= bench_one(video, fps, repeat, static_cast<unsigned>(threads));
  return status;
}

}  // namespace idm::cli
