#include "io/save_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

namespace idm {

namespace {

int open_lock_target(const std::filesystem::path& folder, std::string& error) {
  std::filesystem::path path = folder / kSaveLockName;
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
  if (fd >= 0) return fd;
  int create_errno = errno;
  if (create_errno == EROFS || create_errno == EACCES || create_errno == EPERM) {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);  // made by someone else
    if (fd < 0) fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) return fd;
  }
  error = "cannot lock the side files for saving: cannot open " + path.string() + ": " + std::strerror(create_errno);
  return -1;
}

}  // namespace

bool SaveLock::acquire(const std::filesystem::path& folder, int timeout_ms, std::string& error) {
  release();
  int fd = open_lock_target(folder.empty() ? std::filesystem::path(".") : folder, error);
  if (fd < 0) return false;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  auto pause = std::chrono::milliseconds(1);
  while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) {
      error = "cannot lock " + (folder / kSaveLockName).string() + ": " + std::strerror(errno);
      ::close(fd);
      return false;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      error = "another idmscope save in " + folder.string() + " has held " + kSaveLockName + " for " +
              std::to_string(timeout_ms / 1000) + " s (a stopped or hung editor?)";
      ::close(fd);
      return false;
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(20));
  }
  fd_ = fd;
  return true;
}

void SaveLock::release() {
  if (fd_ < 0) return;
  ::flock(fd_, LOCK_UN);
  ::close(fd_);
  fd_ = -1;
}

}  // namespace idm
