#pragma once
// UI frame cost for `--stats`: main-thread CPU time and wall time of each frame's work (input,
// layout, drawing, GL submission; not the time spent waiting for events or vsync).
#include <cstdio>
#include <vector>

namespace idm::gui {

// This thread's CPU time so far, in seconds (CLOCK_THREAD_CPUTIME_ID).
double thread_cpu_seconds();

// "memory: peak RSS 180.2 MiB; frame cache 66.7 MiB in 25 frames" (the figure the viewer's memory
// budget is about: one 1728x1080 clip fully cached stays under 250 MB).
void print_memory(std::FILE* out, size_t cache_bytes, size_t cache_frames);

class FrameStats {
 public:
  void begin();
  void end();
  void count_wait(double seconds) { waited_s_ += seconds; }
  // "UI frames: 412, CPU per frame p50 0.61 ms p95 ... max ..., wall ..., waited 93% of the time"
  void print(std::FILE* out) const;

 private:
  double cpu_start_s_ = 0.0;
  double wall_start_s_ = 0.0;
  double first_wall_s_ = -1.0;
  double last_wall_s_ = 0.0;
  double waited_s_ = 0.0;
  std::vector<double> cpu_ms_;
  std::vector<double> wall_ms_;
};

}  // namespace idm::gui
