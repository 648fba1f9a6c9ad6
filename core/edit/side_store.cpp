#include "edit/side_store.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>

#include "io/atomic_write.hpp"
#include "io/link_target.hpp"
#include "io/save_journal.hpp"
#include "io/save_lock.hpp"

namespace idm::edit {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

namespace {

void sync_folder(const fs::path& folder) {
  int fd = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

bool rename_into_place(const fs::path& from, const fs::path& to, std::string& error) {
  if (::rename(from.c_str(), to.c_str()) == 0) return true;
  error = "cannot install " + to.string() + ": rename: " + std::strerror(errno);
  return false;
}

bool same_folder(const fs::path& a, const fs::path& b) {
  std::error_code code;
  return fs::equivalent(a.empty() ? "." : a, b.empty() ? "." : b, code);
}

// The folders save files land in (the dataset folder, and those symlinked side files point
// into) with the side-file names used in each.
std::vector<std::pair<fs::path, std::set<std::string>>> save_locations(const fs::path& folder) {
  std::vector<std::pair<fs::path, std::set<std::string>>> out{{folder, {kAnnotationsName, kOverridesName}}};
  for (const char* name : {kAnnotationsName, kOverridesName}) {
    fs::path resolved;
    std::string ignored;
    if (!resolve_write_target(folder / name, resolved, ignored) || resolved == folder / name) continue;
    bool found = false;
    for (auto& [where, names] : out) {
      if (same_folder(where, resolved.parent_path())) {
        names.insert(resolved.filename().string());
        found = true;
      }
    }
    if (!found) out.push_back({resolved.parent_path(), {resolved.filename().string()}});
  }
  return out;
}

// Names this module (and write_file_atomically) create next to the side files `names`.
bool is_our_file(const std::string& name, const std::set<std::string>& names) {
  if (is_save_journal_name(name)) return true;
  for (const std::string& base : names) {
    if (name == base || name == base + ".bak" || is_pending_file_name_of(name, base)) return true;
  }
  return false;
}

// Called under the save lock, after every journal was completed: a pending file left now is
// from a save that died before its commit point, and ".<file>.tmp-<pid>-<random>" from
// write_file_atomically is removable once <pid> is gone.
void remove_leftovers(const fs::path& folder, int& removed) {
  for (const auto& [where, names] : save_locations(folder)) {
    std::error_code code;
    for (auto it = fs::directory_iterator(where, code); !code && it != fs::directory_iterator(); it.increment(code)) {
      std::string name = it->path().filename().string();
      bool stray_pending = false;
      for (const std::string& base : names) stray_pending |= is_pending_file_name_of(name, base);
      size_t marker = name.rfind(".tmp-");
      bool dead_temp = false;
      if (!stray_pending && !name.empty() && name[0] == '.' && marker != std::string::npos && is_our_file(name.substr(1, marker - 1), names)) {
        long pid = std::strtol(name.c_str() + marker + 5, nullptr, 10);
        dead_temp = pid <= 0 || (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH);
      }
      std::error_code ignored;
      if ((stray_pending || dead_temp) && fs::remove(it->path(), ignored)) ++removed;
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
  std::vector<fs::path> install_as;
  for (const SideFileWrite& write : writes) {
    fs::path resolved;
    if (!resolve_write_target(write.target, resolved, error)) return false;
    install_as.push_back(resolved);
  }
  for (const SideFileWrite& write : writes) {
    if (write.backup && !write_file_atomically(fs::path(write.target.string() + ".bak"), *write.backup, error)) return false;
  }
  if (writes.size() == 1) return write_file_atomically(install_as[0], writes[0].content, error);  // one rename is atomic
  if (writes.empty()) return true;
  std::string token = new_save_token();
  Json journal = {{"files", Json::array()}};
  std::vector<fs::path> pendings;
  for (size_t i = 0; i < writes.size(); ++i) {
    std::string name = pending_file_name(install_as[i].filename().string(), token);
    fs::path pending = install_as[i].parent_path() / name;
    if (!write_file_atomically(pending, writes[i].content, error)) {
      for (const fs::path& written : pendings) ::unlink(written.c_str());
      return false;
    }
    pendings.push_back(pending);
    // Relative to the folder when it is there; absolute when a symlink leads elsewhere.
    std::string pending_text = same_folder(install_as[i].parent_path(), folder) ? name : fs::absolute(pending).string();
    journal["files"].push_back({{"target", writes[i].target.filename().string()}, {"pending", pending_text},
                                {"hash", side_file_hash_text(content_hash(writes[i].content))}});
  }
  fs::path journal_path = folder / save_journal_name(token);
  if (!write_file_atomically(journal_path, journal.dump(1) + "\n", error)) {  // the commit point
    for (const fs::path& written : pendings) ::unlink(written.c_str());
    return false;
  }
  for (size_t i = 0; i < writes.size(); ++i) {
    if (!rename_into_place(pendings[i], install_as[i], error)) return false;  // decided: the next recovery finishes it
  }
  for (size_t i = 0; i < writes.size(); ++i) {
    if (!same_folder(install_as[i].parent_path(), folder)) sync_folder(install_as[i].parent_path());
  }
  sync_folder(folder);
  if (::unlink(journal_path.c_str()) != 0) {
    error = "cannot remove " + journal_path.string() + ": " + std::strerror(errno);
    return false;
  }
  sync_folder(folder);
  return true;
}

bool recover_side_files_locked(const fs::path& folder, std::string& note, std::string& error) {
  note.clear();
  int finished_saves = 0, installed = 0, removed = 0;
  for (const std::string& journal_name : find_save_journals(folder)) {  // oldest first: a later save wins
    fs::path journal_path = folder / journal_name;
    SaveJournal journal;
    if (!read_save_journal(folder, journal_name, journal, error)) {
      if (journal.present) error = journal_path.string() + ": " + error + "; remove it by hand after checking the side files";
      return false;
    }
    if (!journal.present) continue;
    for (const SaveJournalEntry& entry : journal.files) {
      fs::path pending, target;
      if (!locate_journal_entry(folder, entry, pending, target, error)) {
        error = journal_path.string() + ": " + error + "; remove it by hand after checking the side files";
        return false;
      }
      SideFileSnapshot pending_file;
      if (!read_side_snapshot(pending, pending_file, error)) return false;
      if (!pending_file.present) continue;  // installed before the interruption
      if (entry.hash != side_file_hash_text(pending_file.hash)) {
        error = pending.string() + " does not match the save journal " + journal_name + "; left in place for you to inspect";
        return false;
      }
      if (!rename_into_place(pending, target, error)) return false;
      if (!same_folder(target.parent_path(), folder)) sync_folder(target.parent_path());
      ++installed;
    }
    sync_folder(folder);
    if (::unlink(journal_path.c_str()) != 0) {
      error = "cannot remove " + journal_path.string() + ": " + std::strerror(errno);
      return false;
    }
    sync_folder(folder);
    ++finished_saves;
  }
  if (finished_saves > 0) {
    note = (finished_saves == 1 ? std::string("finished an interrupted save") : "finished " + std::to_string(finished_saves) + " interrupted saves") +
           " (" + std::to_string(installed) + " file(s) installed)";
  }
  remove_leftovers(folder, removed);
  if (removed > 0) note += std::string(note.empty() ? "" : "; ") + "removed " + std::to_string(removed) + " leftover temp file(s)";
  return true;
}

bool recover_side_files(const fs::path& folder, std::string& note, std::string& error) {
  SaveLock lock;
  if (!lock.acquire(folder, kSaveLockTimeout_ms, error)) return false;
  return recover_side_files_locked(folder, note, error);
}

}  // namespace idm::edit
