#include "io/frame_io_guard.hpp"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace idm {

namespace {

thread_local int scope_depth = 0;
std::atomic<size_t> violation_count{0};

}  // namespace

void note_file_access(const char* what, const std::filesystem::path& path) {
  if (scope_depth == 0) return;
  violation_count.fetch_add(1);
  std::fprintf(stderr, "idmscope: file I/O inside a UI frame: %s %s\n", what, path.c_str());
  const char* mode = std::getenv("IDMSCOPE_FRAME_IO_GUARD");
  if (mode && std::strcmp(mode, "abort") == 0) std::abort();
}

FrameIoScope::FrameIoScope() { ++scope_depth; }
FrameIoScope::~FrameIoScope() { --scope_depth; }
size_t FrameIoScope::violations() { return violation_count.load(); }

}  // namespace idm
