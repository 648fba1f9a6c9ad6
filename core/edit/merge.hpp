#pragma once
// Re-applies the user's changes to one clip onto side files that another program changed
// while the user was editing (a three-way merge at the level of entries).
//   base   = the clip's entries as last loaded or saved
//   mine   = the clip's entries now, in the editor
//   theirs = the clip's entries in the files now on disk
// Rules: an entry (label, edit, unknown key) the user changed takes the user's value; every
// other entry keeps theirs. Deletions merge as sets. Additions are matched by content: ones the
// user removed go, ones the user added are appended, and labels follow their addition (so an
// addition's label index N+k is renumbered to its new position).
#include <string>
#include <vector>

#include "edit/clip_state.hpp"

namespace idm::edit {

struct MergeResult {
  ClipSideState merged;
  std::vector<std::string> notes;  // where both sides changed the same entry (the user's value won)
};

// False (with error) when theirs cannot be merged into (not an object, wrong member types).
bool merge_clip_states(const ClipSideState& base, const ClipSideState& mine, const ClipSideState& theirs, size_t canonical_count,
                       MergeResult& out, std::string& error);

}  // namespace idm::edit
