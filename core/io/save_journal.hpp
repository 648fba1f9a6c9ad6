#pragma once
// The editors' save journal beside the side files. A save that writes both annotations.json
// and gt_overrides.json puts each new content in a pending file (".<name>.pending-<token>"
// in the folder of the file the side file resolves to), writes its journal
// (".idmscope-save-<token>.json", the commit point: from then on the save is decided), renames
// the pendings over their targets and removes the journal. <token> is unique per save
// (process id and a random number), so saves never share a file name; older versions used the
// fixed names ".idmscope-save.json" and ".<name>.pending", which are still read. Saves take
// io/save_lock.hpp's lock, so a journal exists only while its save runs or after it died. The
// editor (edit/side_store) completes journals on its next open, under that lock; read-only
// readers (score, check, the dataset loader) use read_decided_save() to see the pair the saves
// decided on without writing anything.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace idm {

inline constexpr const char* kSaveJournalName = ".idmscope-save.json";  // the old fixed name

// "<pid>-<random hex>": names one save's journal and pending files.
std::string new_save_token();
// ".idmscope-save-<token>.json" (the old fixed name for an empty token).
std::string save_journal_name(std::string_view token);
bool is_save_journal_name(std::string_view file_name);
// ".annotations.json.pending-<token>" for "annotations.json" (".annotations.json.pending"
// for an empty token).
std::string pending_file_name(std::string_view target_name, std::string_view token = {});
bool is_pending_file_name_of(std::string_view file_name, std::string_view target_name);

// FNV-1a 64 over the bytes (with the editor's historical offset basis, see the .cpp); never 0,
// so 0 can stand for "absent".
uint64_t side_file_hash(std::string_view bytes);
// A hash as the journal writes it: 16 lowercase hex digits.
std::string side_file_hash_text(uint64_t hash);

struct SaveJournalEntry {
  std::string target;   // the side file's name inside the folder (it may be a symlink)
  std::string pending;  // relative to the folder (absolute when the target resolves elsewhere)
  std::string hash;     // side_file_hash_text of the pending content
};

struct SaveJournal {
  bool present = false;
  std::string name;                     // its file name in the folder
  std::vector<SaveJournalEntry> files;  // entries without string target/pending are skipped
};

// The journals in `folder`, oldest first (by modification time, then name).
std::vector<std::string> find_save_journals(const std::filesystem::path& folder);

// Reads <folder>/<journal_name>; absent leaves present false. False with error when it cannot
// be read (error names the file) or, with present true, is not {"files": [...]} (error says
// what is wrong; the caller names the file).
bool read_save_journal(const std::filesystem::path& folder, const std::string& journal_name, SaveJournal& out, std::string& error);

// Where an entry's pending file is and the file it is renamed over (the side file with its
// symlinks followed). False with error when the pending file is not one a save of this entry
// could have made (another name, or not beside the resolved side file).
bool locate_journal_entry(const std::filesystem::path& folder, const SaveJournalEntry& entry, std::filesystem::path& pending,
                          std::filesystem::path& install_as, std::string& error);

// A whole side file (at most kMaxSmallJsonBytes); a missing one leaves `present` false. False,
// with the file named, when it exists but cannot be read, or is a directory, FIFO, socket or
// device (refused without waiting on it).
bool read_side_file_bytes(const std::filesystem::path& path, bool& present, std::string& bytes, std::string& error);

// The side files as interrupted saves decided them. With a journal, a file it lists is its
// pending content until the pending file is renamed into place (after that the target is
// already the new one); journals are taken oldest first, a later one's content winning.
// Without one, the targets are the pair (a pending file without a journal is from a save that
// never reached its commit point). Reads only.
struct DecidedSave {
  bool unfinished = false;                             // a journal is there
  std::string journal_names;                           // "a and b": the journals found, for messages
  std::vector<std::string> targets;                    // the files the journals list
  std::map<std::string, std::string> pending_content;  // target name -> bytes to read instead of it
  std::map<std::string, std::string> pending_names;    // target name -> its pending file, as the journal names it
  std::string error;  // journal or pending file unusable, named relative to the folder: the targets then read as they are
};
DecidedSave read_decided_save(const std::filesystem::path& folder);

}  // namespace idm
