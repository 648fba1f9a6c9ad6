#pragma once
// Where a write to a path really lands. A side file may be a symlink into a shared folder; a
// save must update the file it points to (temp file and rename in that file's folder) and
// leave the link a link, instead of replacing the link with a regular file.
#include <filesystem>
#include <string>

namespace idm {

// Follows `path` through every symlink (relative links resolve against the link's folder) to
// the path that is not a link; a dangling link resolves to the file it would create. A path
// that is not a link comes back unchanged. False with error naming the path on a link loop
// or an unreadable link.
bool resolve_write_target(const std::filesystem::path& path, std::filesystem::path& resolved, std::string& error);

// "" when `path` is absent or a regular file (following links); otherwise what it is, for a
// message: "a directory", "a FIFO", "a socket", "a device". Never opens the path, so a FIFO
// cannot block the caller.
std::string special_file_kind(const std::filesystem::path& path);

}  // namespace idm
