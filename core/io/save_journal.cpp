#include "io/save_journal.hpp"
#include "io/frame_io_guard.hpp"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "io/json_file.hpp"

namespace idm {

namespace fs = std::filesystem;

bool read_side_file_bytes(const fs::path& path, bool& present, std::string& bytes, std::string& error) {
  present = false;
  bytes.clear();
  std::error_code code;
  if (!fs::exists(path, code)) return true;
  uintmax_t size = fs::file_size(path, code);
  if (!code && size > kMaxSmallJsonBytes) {
    error = path.string() + ": " + std::to_string(size) + " bytes, more than a side file can be";
    return false;
  }
  note_file_access("read", path);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (!fs::exists(path, code)) return true;  // renamed away between the two looks
    error = "cannot read " + path.string() + ": " + std::strerror(errno);
    return false;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    error = "cannot read " + path.string();
    return false;
  }
  present = true;
  bytes = std::move(buffer).str();
  return true;
}


std::string pending_file_name(std::string_view target_name) { return "." + std::string(target_name) + ".pending"; }

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

bool read_save_journal(const fs::path& folder, SaveJournal& out, std::string& error) {
  out = SaveJournal{};
  fs::path path = folder / kSaveJournalName;
  std::string bytes;
  if (!read_side_file_bytes(path, out.present, bytes, error)) return false;
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

DecidedSave read_decided_save(const fs::path& folder) {
  DecidedSave out;
  SaveJournal journal;
  if (!read_save_journal(folder, journal, out.error)) {
    if (journal.present) out.error = std::string(kSaveJournalName) + ": " + out.error;
    out.error += "; the side files are read as they are, and the editor will not open this dataset until you check them and remove the journal";
    return out;
  }
  out.unfinished = journal.present;
  for (const SaveJournalEntry& entry : journal.files) {
    out.targets.push_back(entry.target);
    fs::path pending = folder / entry.pending;
    bool present = false;
    std::string bytes;
    if (!read_side_file_bytes(pending, present, bytes, out.error)) {
      out.error += "; the side files are read as they are";
      break;
    }
    if (!present) continue;  // already renamed into place: the target is the new content
    if (entry.hash != side_file_hash_text(side_file_hash(bytes))) {
      out.error = entry.pending + " does not match the save journal " + kSaveJournalName +
                  "; the side files are read as they are, and the editor will not open this dataset until you check them";
      break;
    }
    out.pending_content[entry.target] = std::move(bytes);
  }
  if (!out.error.empty()) out.pending_content.clear();  // half a decided pair is no better than the mixed one
  return out;
}

}  // namespace idm
