#pragma once
// One clip's entries in the two side files, exactly as JSON (so unknown keys, odd index
// spellings and out-of-range entries survive every edit), plus the edit operations on them.
// Index rules are spec §5: edits and deletions address canonical indices 0..N-1, labels
// address 0..N+K-1 where N+k is the k-th addition.
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "model/actions.hpp"
#include "model/labels.hpp"

namespace idm::edit {

using Json = nlohmann::ordered_json;

struct ClipSideState {
  std::optional<Json> labels;     // annotations.json[clip]; empty: the clip has no entry
  std::optional<Json> overrides;  // gt_overrides.json[clip]
  bool operator==(const ClipSideState&) const = default;
};

// Why this clip's entries cannot be edited safely ("" when they can): a clip value that is not
// an object, or edits/deletions/additions of the wrong JSON type.
std::string editability_problem(const ClipSideState& state);

size_t addition_count(const ClipSideState& state);

// The parsed views the scorer uses (same decoders as the dataset loader).
ClipLabels parsed_labels(const ClipSideState& state);
ClipOverrides parsed_overrides(const ClipSideState& state);

// The operations. Each returns false with `error` and leaves `state` unchanged when the
// request does not apply (index out of range, nothing to change, bad type or frame).
// `canonical` is the clip's canonical GT (its length is N).
bool set_label(ClipSideState& state, size_t canonical_count, int label_index, std::optional<Visibility> label, std::string& error);
bool edit_detail(ClipSideState& state, const std::vector<Action>& canonical, int label_index, const std::string& detail, std::string& error);
bool delete_action(ClipSideState& state, size_t canonical_count, int label_index, std::string& error);
bool restore_action(ClipSideState& state, size_t canonical_count, int canonical_index, std::string& error);
bool add_action(ClipSideState& state, const Action& action, std::string& error);

// Current label of an item (empty: unlabelled or not one of the four names).
std::optional<Visibility> label_of(const ClipSideState& state, size_t canonical_count, int label_index);
bool is_deleted(const ClipSideState& state, int canonical_index);

}  // namespace idm::edit
