#pragma once
// The release's file-name grammar (rsv.md §1), parsed from the right:
//   single: run_<RUN>__traj_<TID><SUFFIX>
//   pair:   run_<RUN>__pair_<PID>_<A|B>_traj_<TID><SUFFIX>     SUFFIX: .mp4 | _meta.json | _<modality>.mp4
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace idm::rsv {

enum class FileKind { Video, Meta, Modality };

struct RsvName {
  std::string stem;      // the name without SUFFIX: run_<RUN>__traj_<TID> or run_<RUN>__pair_<PID>_<A|B>_traj_<TID>
  std::string run;       // <RUN>
  bool is_pair = false;
  std::string pair_id;   // <PID>
  char role = 0;         // 'A' or 'B' for a pair half
  int64_t tid = 0;
  FileKind kind = FileKind::Video;
  std::string modality;  // for _<modality>.mp4
  // run_<RUN>__pair_<PID>: an equivalence pair's key inside its split.
  std::string pair_stem() const { return "run_" + run + "__pair_" + pair_id; }
};

// nullopt with `why` for a name that does not follow the grammar.
std::optional<RsvName> parse_rsv_name(std::string_view file_name, std::string& why);

}  // namespace idm::rsv
