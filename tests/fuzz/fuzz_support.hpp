#pragma once
// Shared helpers for the libFuzzer targets in tests/fuzz (built with IDMSCOPE_FUZZ=ON, run by
// scripts/fuzz.sh).
//
// Known bugs: where core/ has a bug that is already pinned down by a should_fail test in
// tests/test_bad_input.cpp or tests/test_bad_side_files.cpp, the targets step around the input
// that triggers it, so a run keeps looking for new problems instead of stopping on the known
// one. Build with -DIDMSCOPE_FUZZ_STRICT=ON to turn every such guard off.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "gt/frame_rule.hpp"
#include "model/raw_event.hpp"

namespace idm::fuzz {

#ifdef IDMSCOPE_FUZZ_STRICT
inline constexpr bool kStepAroundKnownBugs = false;
#else
inline constexpr bool kStepAroundKnownBugs = true;
#endif

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

// KNOWN BUG (test "a key held across an absurd time span does not exhaust memory"):
// filter_actions expands a key span to one Action per frame, for spans up to 1e9 frames.
// True when the clip's events cover so many frames at `fps` that the GT could explode.
inline bool gt_could_explode(const ClipLog& log, double fps) {
  if (!kStepAroundKnownBugs) return false;
  bool any = false;
  int64_t low = 0, high = 0;
  for (const RawEvent& event : log.events) {
    auto frame = frame_of_timestamp(event.ts_us, log.start_s, fps);
    if (!frame) continue;
    if (!any) low = high = *frame;
    any = true;
    low = std::min(low, *frame);
    high = std::max(high, *frame);
  }
  return any && high - std::max<int64_t>(low, 0) > 20000;
}

}  // namespace idm::fuzz
