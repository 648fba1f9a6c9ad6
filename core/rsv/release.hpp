#pragma once
// The release layout (rsv.md §1): DIR may be result_dataset/, its parent, one split folder or a
// flat folder of run_* files. Files are grouped into items: a single trajectory, or an
// equivalence pair (both halves). Problems with names and pairing are item diagnostics.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "rsv/names.hpp"
#include "rsv/types.hpp"

namespace idm::rsv {

struct SplitInfo {
  const char* name;
  const char* relation;
  int card_files;  // *_meta.json files in the card's release
};
// The five splits of the card, with their file counts (1,377 in all).
const std::vector<SplitInfo>& card_splits();
// The relation a split name implies ("" for a split the card does not list).
std::string relation_of_split(const std::string& split);

struct MemberFiles {
  std::string key;                 // <split>/<stem>
  RsvName name;
  std::filesystem::path meta_path;   // empty when missing
  std::filesystem::path video_path;  // empty when missing
  std::vector<std::string> modalities;  // _<modality>.mp4 files present
  std::string meta_label;          // <split>/<file> for messages
  std::string video_label;
};

struct ReleaseItem {
  std::string key;       // <split>/<stem> or <split>/run_<RUN>__pair_<PID>
  std::string split;
  bool is_pair = false;
  std::vector<MemberFiles> members;  // a pair: A first, then B (when the pairing is sound)
  std::vector<Diagnostic> diagnostics;
};

struct Release {
  std::filesystem::path root;  // the folder given
  std::vector<std::string> splits;
  std::map<std::string, int> meta_files;  // per split
  std::vector<ReleaseItem> items;        // split order, then key
  std::vector<Diagnostic> notes;         // release-level (unknown split, counts)
};

// False with a sentence when DIR cannot be read as a release (missing, no *_meta.json files;
// only .zip files: "unpack the release first").
bool scan_release(const std::filesystem::path& dir, Release& out, std::string& error);

}  // namespace idm::rsv
