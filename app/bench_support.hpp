#pragma once
// Timing helpers shared by the benchmarks (`idmscope bench score`, `bench video`).
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace idm::cli {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start);
double median_of(std::vector<double> values);
// The value below which `fraction` of the values lie (nearest rank).
double percentile_of(std::vector<double> values, double fraction);
// Peak resident set size in bytes: RUSAGE_SELF or RUSAGE_CHILDREN.
uint64_t peak_rss_bytes(int who);
std::string mib(uint64_t bytes);

struct ChildRun {
  bool started = false;
  std::string error;      // why it could not start, or how it ended badly
  double seconds = 0.0;
  uint64_t peak_rss = 0;  // bytes
  bool exited_zero = false;
};

// Runs argv (argv[0] looked up on PATH, no shell), waits for it and measures it.
ChildRun run_and_time(const std::vector<std::string>& argv);

}  // namespace idm::cli
