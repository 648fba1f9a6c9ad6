#include "bench_support.hpp"

#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

extern char** environ;

namespace idm::cli {

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double median_of(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  if (n == 0) return 0.0;
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// Peak resident set size of this process, in bytes (Linux reports ru_maxrss in KiB).
uint64_t peak_rss_bytes(int who) {
  rusage usage{};
  if (getrusage(who, &usage) != 0) return 0;
  return static_cast<uint64_t>(usage.ru_maxrss) * 1024;
}

std::string mib(uint64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return text;
}

double percentile_of(std::vector<double> values, double fraction) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  size_t rank = static_cast<size_t>(fraction * static_cast<double>(values.size()));
  return values[std::min(rank, values.size() - 1)];
}

ChildRun run_and_time(const std::vector<std::string>& argv) {
  ChildRun run;
  std::vector<char*> pointers;
  for (const std::string& item : argv) pointers.push_back(const_cast<char*>(item.c_str()));
  pointers.push_back(nullptr);

  pid_t pid = 0;
  Clock::time_point start = Clock::now();
  int code = posix_spawnp(&pid, pointers[0], nullptr, nullptr, pointers.data(), environ);
  if (code != 0) {
    run.error = "cannot start " + argv[0] + ": " + std::strerror(code);
    return run;
  }
  run.started = true;
  int status = 0;
  rusage usage{};
  pid_t waited = 0;
  do {
    waited = wait4(pid, &status, 0, &usage);
  } while (waited < 0 && errno == EINTR);
  run.seconds = seconds_since(start);
  if (waited < 0) {
    run.error = std::string("cannot wait for the baseline: ") + std::strerror(errno);
    return run;
  }
  run.peak_rss = static_cast<uint64_t>(usage.ru_maxrss) * 1024;
  if (WIFEXITED(status)) {
    run.exited_zero = WEXITSTATUS(status) == 0;
    // posix_spawnp reports a missing interpreter as exit status 127 from the child.
    if (WEXITSTATUS(status) == 127) run.error = "cannot start " + argv[0] + " (exit status 127)";
    else if (!run.exited_zero) run.error = "exit status " + std::to_string(WEXITSTATUS(status));
  } else if (WIFSIGNALED(status)) {
    run.error = std::string("killed by signal ") + std::to_string(WTERMSIG(status)) + " (" +
                strsignal(WTERMSIG(status)) + ")";
  }
  return run;
}

}  // namespace idm::cli
