#include "io/save_journal.hpp"
#include "io/frame_io_guard.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <random>

#include "io/json_file.hpp"
#include "io/link_target.hpp"

namespace idm {

namespace fs = std::filesystem;

bool read_side_file_bytes(const fs::path& path, bool& present, std::string& bytes, std::string& error) {
  present = false;
  bytes.clear();
  note_file_access("read", path);
  // O_NONBLOCK: opening a FIFO for reading must not wait for a writer; it is refused below.
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return true;  // missing (or a dangling symlink): no such file yet
    error = "cannot read " + path.string() + ": " + std::strerror(errno);
    return false;
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    std::string kind = special_file_kind(path);
    error = path.string() + " is " + (kind.empty() ? std::string("not a regular file") : kind) + ", not a JSON file; it was not read";
    return false;
  }
  if (static_cast<uint64_t>(info.st_size) > kMaxSmallJsonBytes) {
    ::close(fd);
    error = path.string() + ": " + std::to_string(info.st_size) + " bytes, more than a side file can be";
    return false;
  }
  bytes.resize(static_cast<size_t>(info.st_size));
  size_t filled = 0;
  while (true) {
    if (filled == bytes.size()) bytes.resize(bytes.size() + 4096);  // it may have grown since fstat
    ssize_t got = ::read(fd, bytes.data() + filled, bytes.size() - filled);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      error = "cannot read " + path.string() + ": " + std::strerror(errno);
      ::close(fd);
      bytes.clear();
      return false;
    }
    if (got == 0) break;
    filled += static_cast<size_t>(got);
    if (filled > kMaxSmallJsonBytes) {
      ::close(fd);
      bytes.clear();
      error = path.string() + ": more than a side file can be";
      return false;
    }
  }
  ::close(fd);
  bytes.resize(filled);
  present = true;
  return true;
}

std::string new_save_token() {
  std::random_device random;
  char text[32];
  std::snprintf(text, sizeof text, "%ld-%08x", static_cast<long>(::getpid()), static_cast<unsigned>(random()));
  return text;
}

std::string save_journal_name(std::string_view token) {
  return token.empty() ? std::string(kSaveJournalName) : ".idmscope-save-" + std::string(token) + ".json";
}

namespace {

bool is_token(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '-'; });
}

}  // namespace

bool is_save_journal_name(std::string_view name) {
  if (name == kSaveJournalName) return true;
  constexpr std::string_view prefix = ".idmscope-save-", suffix = ".json";
  return name.size() > prefix.size() + suffix.size() && name.starts_with(prefix) && name.ends_with(suffix) &&
         is_token(name.substr(prefix.size(), name.size() - prefix.size() - suffix.size()));
}

std::string pending_file_name(std::string_view target_name, std::string_view token) {
  return "." + std::string(target_name) + ".pending" + (token.empty() ? "" : "-" + std::string(token));
}

bool is_pending_file_name_of(std::string_view name, std::string_view target_name) {
  std::string legacy = pending_file_name(target_name);
  if (name == legacy) return true;
  return name.size() > legacy.size() + 1 && name.starts_with(legacy + "-") && is_token(name.substr(legacy.size() + 1));
}

uint64_t side_file_hash(std::string_view bytes) {
  // Not the standard FNV offset basis (14695981039346656037): the editor has always used this
  // one, and journals already on disk must still verify.
  uint64_t hash = 1469598103934665603ull;
  for (unsigned char byte : bytes) {
    hash ^= byte;
    hash *= 1099511628211ull;
  }
  return hash == 0 ? 1 : hash;  // 0 is reserved for "absent"
}

std::string side_file_hash_text(uint64_t hash) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
  return text;
}

std::vector<std::string> find_save_journals(const fs::path& folder) {
  std::vector<std::pair<fs::file_time_type, std::string>> found;
  std::error_code code;
  for (auto it = fs::directory_iterator(folder, code); !code && it != fs::directory_iterator(); it.increment(code)) {
    std::string name = it->path().filename().string();
    if (!is_save_journal_name(name)) continue;
    std::error_code time_error;
    found.emplace_back(fs::last_write_time(it->path(), time_error), name);
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> names;
  for (auto& entry : found) names.push_back(std::move(entry.second));
  return names;
}

bool read_save_journal(const fs::path& folder, const std::string& journal_name, SaveJournal& out, std::string& error) {
  out = SaveJournal{};
  out.name = journal_name;
  std::string bytes;
  if (!read_side_file_bytes(folder / journal_name, out.present, bytes, error)) return false;
  if (!out.present) return true;
  nlohmann::json journal;
  try {
    journal = nlohmann::json::parse(bytes);
  } catch (const nlohmann::json::exception& parse_error) {
    error = std::string("not valid JSON (") + parse_error.what() + ")";
    return false;
  }
  if (!journal.is_object() || !journal.contains("files") || !journal["files"].is_array()) {
    error = "expected {\"files\": [...]}";
    return false;
  }
  for (const nlohmann::json& entry : journal["files"]) {
    if (!entry.is_object() || !entry.value("target", nlohmann::json()).is_string() || !entry.value("pending", nlohmann::json()).is_string()) continue;
    nlohmann::json hash = entry.value("hash", nlohmann::json());
    out.files.push_back({entry["target"].get<std::string>(), entry["pending"].get<std::string>(), hash.is_string() ? hash.get<std::string>() : ""});
  }
  return true;
}

bool locate_journal_entry(const fs::path& folder, const SaveJournalEntry& entry, fs::path& pending, fs::path& install_as, std::string& error) {
  fs::path target = folder / entry.target;
  if (fs::path(entry.target).has_parent_path() || !resolve_write_target(target, install_as, error)) {
    if (error.empty()) error = "the journal names " + entry.target + ", which is not a file of this folder";
    return false;
  }
  pending = folder / entry.pending;  // an absolute pending stays absolute
  std::error_code code;
  bool same_folder = pending.parent_path() == install_as.parent_path() || fs::equivalent(pending.parent_path(), install_as.parent_path(), code);
  if (!same_folder || !is_pending_file_name_of(pending.filename().string(), install_as.filename().string())) {
    error = "the journal's pending file " + entry.pending + " is not where a save of " + entry.target + " puts it";
    return false;
  }
  return true;
}

DecidedSave read_decided_save(const fs::path& folder) {
  DecidedSave out;
  for (const std::string& journal_name : find_save_journals(folder)) {
    out.journal_names += (out.journal_names.empty() ? "" : " and ") + journal_name;
    SaveJournal journal;
    if (!read_save_journal(folder, journal_name, journal, out.error)) {
      if (journal.present) out.error = journal_name + ": " + out.error;
      out.error += "; the side files are read as they are, and the editor will not open this dataset until you check them and remove the journal";
      break;
    }
    if (!journal.present) continue;  // finished between the listing and the read
    out.unfinished = true;
    for (const SaveJournalEntry& entry : journal.files) {
      if (std::find(out.targets.begin(), out.targets.end(), entry.target) == out.targets.end()) out.targets.push_back(entry.target);
      fs::path pending, install_as;
      if (!locate_journal_entry(folder, entry, pending, install_as, out.error)) {
        out.error = journal_name + ": " + out.error + "; the side files are read as they are";
        break;
      }
      bool present = false;
      std::string bytes;
      if (!read_side_file_bytes(pending, present, bytes, out.error)) {
        out.error += "; the side files are read as they are";
        break;
      }
      if (!present) {  // already renamed into place: the target is the new content
        out.pending_content.erase(entry.target);
        continue;
      }
      if (entry.hash != side_file_hash_text(side_file_hash(bytes))) {
        out.error = entry.pending + " does not match the save journal " + journal_name +
                    "; the side files are read as they are, and the editor will not open this dataset until you check them";
        break;
      }
      out.pending_content[entry.target] = std::move(bytes);
      out.pending_names[entry.target] = entry.pending;
    }
    if (!out.error.empty()) break;
  }
  if (!out.error.empty()) out.pending_content.clear();  // half a decided pair is no better than the mixed one
  return out;
}

}  // namespace idm
