#pragma once
// The worker's stdout: one event per line, written whole under a lock (pool threads, job
// threads and the main loop all emit).
#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>

#include "worker/protocol.hpp"

namespace idm::worker_app {

inline void emit(const nlohmann::json& event) {
  static std::mutex mutex;
  std::string line = worker::encode_line(event);
  std::lock_guard lock(mutex);
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fflush(stdout);
}

inline void log_line(const std::string& text) {
  std::fprintf(stderr, "%s\n", text.c_str());
  std::fflush(stderr);
}

}  // namespace idm::worker_app
