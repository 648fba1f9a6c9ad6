#pragma once
// Shared helpers for the libFuzzer targets in tests/fuzz (built with IDMSCOPE_FUZZ=ON, run by
// scripts/fuzz.sh).
//
// A known bug that is not fixed yet may be stepped around here (with a should_fail test
// pinning it down in tests/), so a run keeps finding new problems; none is open right now.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "model/raw_event.hpp"

namespace idm::fuzz {

// Stops the run with a message; libFuzzer saves the input as a crash artifact.
[[noreturn]] inline void fail(const char* what, std::string_view detail = {}) {
  std::fprintf(stderr, "\n*** fuzz invariant broken: %s\n%.*s\n", what, static_cast<int>(detail.size()), detail.data());
  std::abort();
}

inline void require(bool condition, const char* what, std::string_view detail = {}) {
  if (!condition) fail(what, detail);
}

// An in-memory file with a real path (/proc/self/fd/N), so the path-based readers run
// unchanged without touching the disk. Closed (and freed) on destruction.
class MemoryFile {
 public:
  explicit MemoryFile(const uint8_t* data, size_t size) {
    fd_ = static_cast<int>(::memfd_create("idmscope-fuzz", 0));
    require(fd_ >= 0, "memfd_create failed");
    size_t written = 0;
    while (written < size) {
      ssize_t n = ::write(fd_, data + written, size - written);
      require(n > 0, "write to memfd failed");
      written += static_cast<size_t>(n);
    }
    path_ = "/proc/self/fd/" + std::to_string(fd_);
  }
  ~MemoryFile() { ::close(fd_); }
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  int fd_ = -1;
  std::string path_;
};

}  // namespace idm::fuzz
