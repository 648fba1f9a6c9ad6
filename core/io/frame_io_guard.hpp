#pragma once
// A debug check for the viewer: while its UI thread is inside a frame it must not read or
// write files (that is a task's work). The file functions of core/io call note_file_access();
// the viewer marks each frame with a FrameIoScope on its UI thread. A file access inside a
// scope is counted and named on stderr, and aborts when IDMSCOPE_FRAME_IO_GUARD=abort (the
// GUI tests run the viewer that way). Other threads are never checked.
#include <cstddef>
#include <filesystem>

namespace idm {

void note_file_access(const char* what, const std::filesystem::path& path);

class FrameIoScope {
 public:
  FrameIoScope();
  ~FrameIoScope();
  FrameIoScope(const FrameIoScope&) = delete;
  FrameIoScope& operator=(const FrameIoScope&) = delete;
  static size_t violations();  // file accesses seen inside scopes so far (all threads' scopes)
};

}  // namespace idm
