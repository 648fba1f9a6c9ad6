#pragma once
// Writes a file so that readers see either the old or the new content, never a mix:
// temp file in the same directory, fsync, rename over the target, fsync the directory.
#include <filesystem>
#include <string>
#include <string_view>

namespace idm {

// Returns false with error set ("cannot write X: reason"); the target is left untouched.
bool write_file_atomically(const std::filesystem::path& target, std::string_view content, std::string& error);

}  // namespace idm
