#include "io/atomic_write.hpp"
#include "io/frame_io_guard.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>

namespace idm {

namespace {

bool write_all(int fd, std::string_view content) {
  while (!content.empty()) {
    ssize_t written = ::write(fd, content.data(), content.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    content.remove_prefix(static_cast<size_t>(written));
  }
  return true;
}

}  // namespace

bool write_file_atomically(const std::filesystem::path& target, std::string_view content, std::string& error) {
  std::filesystem::path directory = target.parent_path().empty() ? std::filesystem::path(".") : target.parent_path();
  std::random_device random;
  std::filesystem::path temp =
      directory / ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(random()));
  auto fail = [&](const char* step) {
    error = "cannot write " + target.string() + ": " + step + ": " + std::strerror(errno);
    return false;
  };
  note_file_access("write", target);
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return fail("create temp file");
  if (!write_all(fd, content) || ::fsync(fd) != 0) {
    int saved = errno;
    ::close(fd);
    ::unlink(temp.c_str());
    errno = saved;
    return fail("write temp file");
  }
  if (::close(fd) != 0) {
    ::unlink(temp.c_str());
    return fail("close temp file");
  }
  if (::rename(temp.c_str(), target.c_str()) != 0) {
    int saved = errno;
    ::unlink(temp.c_str());
    errno = saved;
    return fail("rename temp file");
  }
  int directory_fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (directory_fd >= 0) {
    ::fsync(directory_fd);  // makes the rename itself durable
    ::close(directory_fd);
  }
  return true;
}

}  // namespace idm
