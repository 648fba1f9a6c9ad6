#pragma once
// The two side files of an eval set (annotations.json, gt_overrides.json) as bytes on disk:
// reading them with a content hash, and saving both so that a crash at any moment leaves
// either the old pair or the new pair (never one of each, never a truncated file).
//
// Save protocol (one save = one "transaction"), run while holding io/save_lock.hpp's lock, which
// every editor save takes from reading the files until its journal is gone:
//   1. backups:  <name>.bak  <- the bytes being replaced (atomic write), when asked for
//   2. pending:  .<name>.pending-<token>  <- the new content (atomic write: temp, fsync, rename),
//                beside the file a symlinked side file points to
//   3. commit:   .idmscope-save-<token>.json  <- which pendings to install, with their hashes (atomic)
//   4. install:  rename each pending over its target, fsync the folder
//   5. done:     remove the journal, fsync the folder
// A crash before 3 leaves the targets untouched (stray pendings are removed on recovery); a
// crash after 3 is rolled forward by recover_side_files(), which every editor open and save
// runs under the lock (so it never touches the journal of a save still running). Until then
// read-only readers see the decided pair through io/save_journal.hpp, which also owns the
// journal's format. A side file that is a symlink is written through: the link stays.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/save_journal.hpp"

namespace idm::edit {

inline constexpr const char* kAnnotationsName = "annotations.json";
inline constexpr const char* kOverridesName = "gt_overrides.json";
inline constexpr const char* kJournalName = kSaveJournalName;

// side_file_hash (io/save_journal.hpp); absent files hash to 0 so "absent" differs from "empty".
uint64_t content_hash(std::string_view bytes);

struct SideFileSnapshot {
  bool present = false;
  std::string bytes;
  uint64_t hash = 0;
};

// Reads a side file's bytes; a missing file is present=false. False (with error naming the
// file) only when it exists but cannot be read.
bool read_side_snapshot(const std::filesystem::path& path, SideFileSnapshot& out, std::string& error);

struct SideFileWrite {
  std::filesystem::path target;
  std::string content;
  std::optional<std::string> backup;  // bytes for <target>.bak, written before anything else
};

// Installs every write as one transaction (see above). False with error when something could
// not be written; the targets then still hold the old pair (or, after the commit point, are
// completed by the next recover_side_files()).
// The caller holds the folder's SaveLock.
bool commit_side_files(const std::filesystem::path& folder, const std::vector<SideFileWrite>& writes, std::string& error);

// Finishes or rolls back saves that were interrupted (crash, SIGKILL, power loss), and removes
// temp files left by dead processes. `note` says what was done ("" when there was nothing).
// Takes the folder's SaveLock (waiting for a running save); the _locked form is for a caller
// that already holds it.
bool recover_side_files(const std::filesystem::path& folder, std::string& note, std::string& error);
bool recover_side_files_locked(const std::filesystem::path& folder, std::string& note, std::string& error);

}  // namespace idm::edit
