#pragma once
// The worker's stdout: one event per line, written whole under a lock (pool threads, job
// threads and the main loop all emit).
#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>

#include "infer/secrets.hpp"
#include "worker/protocol.hpp"

namespace idm::worker_app {

// One encoded event, secrets removed (a server's error may echo the API key).
inline std::string encode_event(const nlohmann::json& event) { return infer::scrub_secrets(worker::encode_line(event)); }

inline void emit_line(const std::string& line) {
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fflush(stdout);
}

inline void emit(const nlohmann::json& event) { emit_line(encode_event(event)); }

inline void log_line(const std::string& text) {
  std::string line = infer::scrub_secrets(text) + "\n";
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace idm::worker_app
