#include "edit/side_store.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "io/atomic_write.hpp"
#include "io/save_journal.hpp"

namespace idm::edit {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

namespace {

std::string pending_name(const fs::path& target) { return pending_file_name(target.filename().string()); }

void sync_folder(const fs::path& folder) {
  int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

bool rename_into_place(const fs::path& from, const fs::path& to, std::string& error) {
  if (::rename(from.c_str(), to.c_str()) == 0) return true;
  error = "cannot install " + to.string() + ": rename: " + std::strerror(errno);
  return false;
}

// Names this module (and write_file_atomically) create next to the side files.
bool is_our_file(const std::string& name) {
  for (const char* base : {kAnnotationsName, kOverridesName, kJournalName}) {
    std::string b = base;
    if (name == b || name == b + ".bak" || name == "." + b + ".pending") return true;
  }
  return false;
}

// ".<file>.tmp-<pid>-<random>" from write_file_atomically: removable once <pid> is gone.
void remove_dead_temp_files(const fs::path& folder, int& removed) {
  std::error_code code;
  for (auto it = fs::directory_iterator(folder, code); !code && it != fs::directory_iterator(); it.increment(code)) {
    std::string name = it->path().filename().string();
    size_t marker = name.rfind(".tmp-");
    if (name.empty() || name[0] != '.' || marker == std::string::npos) continue;
    if (!is_our_file(name.substr(1, marker - 1))) continue;
    long pid = std::strtol(name.c_str() + marker + 5, nullptr, 10);
    if (pid <= 0 || (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH)) {
      std::error_code ignored;
      if (fs::remove(it->path(), ignored)) ++removed;
    }
  }
}

}  // namespace

uint64_t content_hash(std::string_view bytes) { return side_file_hash(bytes); }

bool read_side_snapshot(const fs::path& path, SideFileSnapshot& out, std::string& error) {
  out = SideFileSnapshot{};
  if (!read_side_file_bytes(path, out.present, out.bytes, error)) return false;
  if (out.present) out.hash = content_hash(out.bytes);
  return true;
}

bool commit_side_files(const fs::path& folder, const std::vector<SideFileWrite>& writes, std::string& error) {
  for (const SideFileWrite& write : writes) {
    if (write.backup && !write_file_atomically(fs::path(write.target.string() + ".bak"), *write.backup, error)) return false;
  }
  if (writes.size() == 1) return write_file_atomically(writes[0].target, writes[0].content, error);  // one rename is atomic
  if (writes.empty()) return true;
  Json journal = {{"files", Json::array()}};
  for (const SideFileWrite& write : writes) {
    fs::path pending = folder / pending_name(write.target);
    if (!write_file_atomically(pending, write.content, error)) return false;
    journal["files"].push_back({{"target", write.target.filename().string()}, {"pending", pending.filename().string()},
                                {"hash", side_file_hash_text(content_hash(write.content))}});
  }
  fs::path journal_path = folder / kJournalName;
  if (!write_file_atomically(journal_path, journal.dump(1) + "\n", error)) return false;  // the commit point
  for (const SideFileWrite& write : writes) {
    if (!rename_into_place(folder / pending_name(write.target), write.target, error)) return false;
  }
  sync_folder(folder);
  if (::unlink(journal_path.c_str()) != 0) {
    error = "cannot remove " + journal_path.string() + ": " + std::strerror(errno);
    return false;
  }
  sync_folder(folder);
  return true;
}

bool recover_side_files(const fs::path& folder, std::string& note, std::string& error) {
  note.clear();
  fs::path journal_path = folder / kJournalName;
  SaveJournal journal;
  if (!read_save_journal(folder, journal, error)) {
    if (journal.present) error = journal_path.string() + ": " + error + "; remove it by hand after checking the side files";
    return false;
  }
  int finished = 0, removed = 0;
  if (journal.present) {
    for (const SaveJournalEntry& entry : journal.files) {
      fs::path pending = folder / entry.pending;
      fs::path target = folder / entry.target;
      SideFileSnapshot pending_file;
      if (!read_side_snapshot(pending, pending_file, error)) return false;
      if (!pending_file.present) continue;  // installed before the interruption
      if (entry.hash != side_file_hash_text(pending_file.hash)) {
        error = pending.string() + " does not match the save journal; left in place for you to inspect";
        return false;
      }
      if (!rename_into_place(pending, target, error)) return false;
      ++finished;
    }
    sync_folder(folder);
    if (::unlink(journal_path.c_str()) != 0) {
      error = "cannot remove " + journal_path.string() + ": " + std::strerror(errno);
      return false;
    }
    sync_folder(folder);
    note = "finished an interrupted save (" + std::to_string(finished) + " file(s) installed)";
  } else {
    // No commit record: any pending file is from a save that never reached its commit point.
    for (const char* name : {kAnnotationsName, kOverridesName}) {
      std::error_code code;
      if (fs::remove(folder / pending_name(name), code)) ++removed;
    }
  }
  remove_dead_temp_files(folder, removed);
  if (removed > 0) note += std::string(note.empty() ? "" : "; ") + "removed " + std::to_string(removed) + " leftover temp file(s)";
  return true;
}

}  // namespace idm::edit
