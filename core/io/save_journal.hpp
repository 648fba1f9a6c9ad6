#pragma once
// The editors' save journal, .idmscope-save.json beside the side files. A save that writes both
// annotations.json and gt_overrides.json puts each new content in a pending file
// (".<name>.pending"), writes the journal (the commit point: from then on the save is decided),
// renames the pendings over their targets and removes the journal. The editor
// (edit/side_store) writes the journal and completes it on its next open; read-only readers
// (score, check, the dataset loader) use read_decided_save() to see the pair the save decided
// on without writing anything.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace idm {

inline constexpr const char* kSaveJournalName = ".idmscope-save.json";

// ".annotations.json.pending" for "annotations.json".
std::string pending_file_name(std::string_view target_name);

// FNV-1a 64 over the bytes (with the editor's historical offset basis, see the .cpp); never 0,
// so 0 can stand for "absent".
uint64_t side_file_hash(std::string_view bytes);
// A hash as the journal writes it: 16 lowercase hex digits.
std::string side_file_hash_text(uint64_t hash);

struct SaveJournalEntry {
  std::string target;   // file names inside the folder
  std::string pending;
  std::string hash;     // side_file_hash_text of the pending content
};

struct SaveJournal {
  bool present = false;
  std::vector<SaveJournalEntry> files;  // entries without string target/pending are skipped
};

// Reads <folder>/.idmscope-save.json; absent leaves present false. False with error when it
// cannot be read (error names the file) or, with present true, is not {"files": [...]} (error
// says what is wrong; the caller names the file).
bool read_save_journal(const std::filesystem::path& folder, SaveJournal& out, std::string& error);

// A whole side file (at most kMaxSmallJsonBytes); a missing one leaves `present` false. False,
// with the file named, when it exists but cannot be read.
bool read_side_file_bytes(const std::filesystem::path& path, bool& present, std::string& bytes, std::string& error);

// The side files as an interrupted save decided them. With a journal, a file it lists is its
// pending content until the pending file is renamed into place (after that the target is
// already the new one); without one, the targets are the pair (a pending file without a journal
// is from a save that never reached its commit point). Reads only.
struct DecidedSave {
  bool unfinished = false;                             // a journal is there
  std::vector<std::string> targets;                    // the files the journal lists
  std::map<std::string, std::string> pending_content;  // target name -> bytes to read instead of it
  std::string error;  // journal or pending file unusable, named relative to the folder: the targets then read as they are
};
DecidedSave read_decided_save(const std::filesystem::path& folder);

}  // namespace idm
