#pragma once
// Spec §5: canonical GT + the clip's overrides -> the GT that is scored, and the label of
// every scored item. Problems become warnings shown to the user; nothing is dropped silently.
#include <optional>
#include <string>
#include <vector>

#include "model/actions.hpp"
#include "model/labels.hpp"

namespace idm {

struct OverriddenGt {
  std::vector<ScoredGtItem> items;    // stable-sorted by (frame, type)
  std::vector<bool> deleted;          // per canonical index: removed by a deletion
  size_t canonical_count = 0;         // N
  size_t addition_count = 0;          // K (label indices run over 0..N+K-1)
  std::vector<std::string> warnings;  // out-of-range indices, unusable additions
  int index_warnings = 0;             // out-of-range / non-integer edit and deletion indices
};

// Edits, then deletions (as a set), then additions appended, then a stable sort.
OverriddenGt apply_overrides(const std::vector<Action>& canonical, const ClipOverrides* overrides);

struct ResolvedLabels {
  std::vector<std::optional<Visibility>> by_label_index;  // size N+K; empty = unlabelled
  std::vector<std::string> warnings;
  int index_warnings = 0;  // indices that are not integers in 0..N+K-1
};

ResolvedLabels resolve_labels(const ClipLabels* labels, size_t label_index_count);

}  // namespace idm
