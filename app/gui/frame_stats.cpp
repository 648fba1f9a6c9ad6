#include "frame_stats.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <ctime>

namespace idm::gui {

void print_memory(std::FILE* out, size_t cache_bytes, size_t cache_frames) {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  double peak_mib = static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
  std::fprintf(out, "memory: peak RSS %.1f MiB; frame cache %.1f MiB in %zu frames\n", peak_mib,
               static_cast<double>(cache_bytes) / (1024.0 * 1024.0), cache_frames);
}

namespace {

double clock_seconds(clockid_t clock) {
  timespec now{};
  clock_gettime(clock, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

double percentile(std::vector<double> values, double fraction) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  size_t index = static_cast<size_t>(fraction * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(index, values.size() - 1)];
}

}  // namespace

double thread_cpu_seconds() { return clock_seconds(CLOCK_THREAD_CPUTIME_ID); }

void FrameStats::begin() {
  cpu_start_s_ = clock_seconds(CLOCK_THREAD_CPUTIME_ID);
  wall_start_s_ = clock_seconds(CLOCK_MONOTONIC);
  if (first_wall_s_ < 0) first_wall_s_ = wall_start_s_;
}

void FrameStats::end() {
  last_wall_s_ = clock_seconds(CLOCK_MONOTONIC);
  cpu_ms_.push_back((clock_seconds(CLOCK_THREAD_CPUTIME_ID) - cpu_start_s_) * 1e3);
  wall_ms_.push_back((last_wall_s_ - wall_start_s_) * 1e3);
}

void FrameStats::print(std::FILE* out) const {
  double span_s = last_wall_s_ - first_wall_s_;
  std::fprintf(out,
               "UI frames: %zu in %.1f s\n"
               "  CPU per frame (main thread): p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms\n"
               "  wall per frame (work only):  p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms\n"
               "  idle: waited for events %.0f%% of the time\n",
               cpu_ms_.size(), span_s, percentile(cpu_ms_, 0.5), percentile(cpu_ms_, 0.95), percentile(cpu_ms_, 0.99),
               percentile(cpu_ms_, 1.0), percentile(wall_ms_, 0.5), percentile(wall_ms_, 0.95), percentile(wall_ms_, 0.99),
               percentile(wall_ms_, 1.0), span_s > 0 ? 100.0 * waited_s_ / span_s : 0.0);
}

}  // namespace idm::gui
