#include "io/link_target.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace idm {

bool resolve_write_target(const std::filesystem::path& path, std::filesystem::path& resolved, std::string& error) {
  resolved = path;
  for (int hops = 0; hops < 40; ++hops) {
    struct stat info {};
    if (::lstat(resolved.c_str(), &info) != 0 || !S_ISLNK(info.st_mode)) return true;  // absent or not a link
    std::string target(static_cast<size_t>(info.st_size > 0 ? info.st_size : 4096) + 1, '\0');
    ssize_t length = ::readlink(resolved.c_str(), target.data(), target.size());
    if (length < 0) {
      error = "cannot read the symlink " + resolved.string() + ": " + std::strerror(errno);
      return false;
    }
    target.resize(static_cast<size_t>(length));
    std::filesystem::path next(target);
    resolved = next.is_absolute() ? next : resolved.parent_path() / next;
  }
  error = path.string() + ": too many levels of symbolic links";
  return false;
}

std::string special_file_kind(const std::filesystem::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return errno == ELOOP ? "a symlink loop" : "";
  if (S_ISREG(info.st_mode)) return "";
  if (S_ISDIR(info.st_mode)) return "a directory";
  if (S_ISFIFO(info.st_mode)) return "a FIFO (named pipe)";
  if (S_ISSOCK(info.st_mode)) return "a socket";
  if (S_ISCHR(info.st_mode) || S_ISBLK(info.st_mode)) return "a device";
  return "not a regular file";
}

}  // namespace idm
