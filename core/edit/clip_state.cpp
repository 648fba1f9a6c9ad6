#include "edit/clip_state.hpp"

#include "dataset/side_files.hpp"
#include "util/python_compat.hpp"

namespace idm::edit {

namespace {

// The integer an index is written as (int, or a string holding one), as the loader reads it.
std::optional<int64_t> index_of(const Json& value) {
  if (value.is_number_integer()) return value.get<int64_t>();
  int64_t parsed = 0;
  if (value.is_string() && py::parse_int(value.get<std::string>(), parsed)) return parsed;
  return std::nullopt;
}

std::optional<int64_t> key_index(const std::string& key) { return index_of(Json(key)); }

const char* kind_of(const Json& value) {
  if (value.is_object()) return "an object";
  if (value.is_array()) return "an array";
  if (value.is_string()) return "a string";
  if (value.is_null()) return "null";
  if (value.is_boolean()) return "a boolean";
  return "a number";
}

Json& labels_object(ClipSideState& state) {
  if (!state.labels) state.labels = Json::object();
  return *state.labels;
}

Json& overrides_member(ClipSideState& state, const char* name, Json empty) {
  if (!state.overrides) state.overrides = Json::object();
  Json& overrides = *state.overrides;
  if (!overrides.contains(name)) overrides[name] = std::move(empty);
  return overrides[name];
}

bool fail(std::string& error, std::string message) {
  error = std::move(message);
  return false;
}

// Rebuilds the labels object with keys renamed by `rename` (nullopt drops the entry), in order.
template <typename Rename>
void rename_label_keys(Json& labels, Rename rename) {
  Json renamed = Json::object();
  for (auto& [key, value] : labels.items()) {
    std::optional<std::string> new_key = rename(key);
    if (new_key) renamed[*new_key] = value;
  }
  labels = std::move(renamed);
}

}  // namespace

std::string editability_problem(const ClipSideState& state) {
  if (state.labels && !state.labels->is_object()) {
    return std::string("annotations.json: this clip's entry is ") + kind_of(*state.labels) + ", expected an object; fix it by hand before editing";
  }
  if (!state.overrides) return "";
  if (!state.overrides->is_object()) {
    return std::string("gt_overrides.json: this clip's entry is ") + kind_of(*state.overrides) +
           ", expected an object; fix it by hand before editing";
  }
  const Json& overrides = *state.overrides;
  if (overrides.contains("edits") && !overrides["edits"].is_object()) return "gt_overrides.json: this clip's \"edits\" is not an object; fix it by hand before editing";
  if (overrides.contains("deletions") && !overrides["deletions"].is_array()) return "gt_overrides.json: this clip's \"deletions\" is not an array; fix it by hand before editing";
  if (overrides.contains("additions") && !overrides["additions"].is_array()) return "gt_overrides.json: this clip's \"additions\" is not an array; fix it by hand before editing";
  return "";
}

size_t addition_count(const ClipSideState& state) {
  if (!state.overrides || !state.overrides->is_object()) return 0;
  auto it = state.overrides->find("additions");
  return it != state.overrides->end() && it->is_array() ? it->size() : 0;
}

ClipLabels parsed_labels(const ClipSideState& state) {
  std::vector<std::string> warnings;
  return state.labels ? parse_clip_labels(*state.labels, "annotations.json", warnings) : ClipLabels{};
}

ClipOverrides parsed_overrides(const ClipSideState& state) {
  return state.overrides ? parse_clip_overrides(*state.overrides, "gt_overrides.json") : ClipOverrides{};
}

std::optional<Visibility> label_of(const ClipSideState& state, size_t canonical_count, int label_index) {
  if (!state.labels || !state.labels->is_object()) return std::nullopt;
  std::optional<Visibility> found;
  for (const auto& [key, value] : state.labels->items()) {  // the last matching key wins, as when scoring
    if (key_index(key) != label_index) continue;
    Visibility visibility;
    found = value.is_string() && parse_visibility(value.get<std::string>(), visibility) ? std::optional(visibility) : std::nullopt;
  }
  (void)canonical_count;
  return found;
}

bool is_deleted(const ClipSideState& state, int canonical_index) {
  if (!state.overrides || !state.overrides->is_object() || !state.overrides->contains("deletions")) return false;
  const Json& deletions = (*state.overrides)["deletions"];
  if (!deletions.is_array()) return false;
  for (const Json& entry : deletions) {
    if (index_of(entry) == canonical_index) return true;
  }
  return false;
}

bool set_label(ClipSideState& state, size_t canonical_count, int label_index, std::optional<Visibility> label, std::string& error) {
  size_t count = canonical_count + addition_count(state);
  if (label_index < 0 || static_cast<size_t>(label_index) >= count) {
    return fail(error, "label index " + std::to_string(label_index) + " is out of range 0.." + std::to_string(static_cast<int64_t>(count) - 1));
  }
  bool has_key = false;
  if (state.labels && state.labels->is_object()) {
    for (const auto& [key, value] : state.labels->items()) has_key |= key_index(key) == label_index;
  }
  if (label_of(state, canonical_count, label_index) == label && (label || !has_key)) return fail(error, "the label is already that");
  Json& labels = labels_object(state);
  if (!label) {
    rename_label_keys(labels, [&](const std::string& key) -> std::optional<std::string> {
      if (key_index(key) == label_index) return std::nullopt;
      return key;
    });
    return true;
  }
  bool updated = false;
  for (auto& [key, value] : labels.items()) {
    if (key_index(key) == label_index) {
      value = visibility_name(*label);
      updated = true;
    }
  }
  if (!updated) labels[std::to_string(label_index)] = visibility_name(*label);
  return true;
}

bool edit_detail(ClipSideState& state, const std::vector<Action>& canonical, int label_index, const std::string& detail, std::string& error) {
  size_t count = canonical.size() + addition_count(state);
  if (label_index < 0 || static_cast<size_t>(label_index) >= count) {
    return fail(error, "index " + std::to_string(label_index) + " is out of range 0.." + std::to_string(static_cast<int64_t>(count) - 1));
  }
  if (py::strip(detail).empty()) return fail(error, "the detail is empty");
  if (static_cast<size_t>(label_index) >= canonical.size()) {
    Json& addition = (*state.overrides)["additions"][static_cast<size_t>(label_index) - canonical.size()];
    if (!addition.is_object()) return fail(error, "addition " + std::to_string(label_index - static_cast<int>(canonical.size())) + " is not an object");
    const char* field = !addition.contains("detail") && addition.contains("details") ? "details" : "detail";
    if (addition.contains(field) && addition[field] == Json(detail)) return fail(error, "the detail is already that");
    addition[field] = detail;
    return true;
  }
  const std::string& original = canonical[static_cast<size_t>(label_index)].detail;
  ClipOverrides current = parsed_overrides(state);
  std::optional<std::string> edited;
  for (const EditEntry& entry : current.edits) {
    if (entry.key.index == label_index) edited = entry.detail;
  }
  if (edited.value_or(original) == detail) return fail(error, "the detail is already that");
  Json& edits = overrides_member(state, "edits", Json::object());
  if (detail == original) {  // back to the canonical detail: the edit goes away
    Json kept = Json::object();
    for (auto& [key, value] : edits.items()) {
      if (key_index(key) != label_index) kept[key] = value;
    }
    edits = std::move(kept);
    return true;
  }
  bool updated = false;
  for (auto& [key, value] : edits.items()) {
    if (key_index(key) == label_index) {
      value = detail;
      updated = true;
    }
  }
  if (!updated) edits[std::to_string(label_index)] = detail;
  return true;
}

bool delete_action(ClipSideState& state, size_t canonical_count, int label_index, std::string& error) {
  size_t additions = addition_count(state);
  if (label_index < 0 || static_cast<size_t>(label_index) >= canonical_count + additions) {
    return fail(error, "index " + std::to_string(label_index) + " is out of range 0.." + std::to_string(static_cast<int64_t>(canonical_count + additions) - 1));
  }
  if (static_cast<size_t>(label_index) < canonical_count) {
    if (is_deleted(state, label_index)) return fail(error, "action " + std::to_string(label_index) + " is already deleted");
    overrides_member(state, "deletions", Json::array()).push_back(label_index);
    return true;
  }
  // An addition leaves the additions list; the labels of later additions move down by one.
  int k = label_index - static_cast<int>(canonical_count);
  Json& list = (*state.overrides)["additions"];
  list.erase(static_cast<size_t>(k));
  if (state.labels && state.labels->is_object()) {
    int64_t end = static_cast<int64_t>(canonical_count + additions);
    rename_label_keys(*state.labels, [&](const std::string& key) -> std::optional<std::string> {
      std::optional<int64_t> index = key_index(key);
      if (!index || *index < label_index || *index >= end) return key;
      if (*index == label_index) return std::nullopt;
      return std::to_string(*index - 1);
    });
  }
  return true;
}

bool restore_action(ClipSideState& state, size_t canonical_count, int canonical_index, std::string& error) {
  if (canonical_index < 0 || static_cast<size_t>(canonical_index) >= canonical_count) {
    return fail(error, "index " + std::to_string(canonical_index) + " is not a canonical GT index");
  }
  if (!is_deleted(state, canonical_index)) return fail(error, "action " + std::to_string(canonical_index) + " is not deleted");
  Json& deletions = (*state.overrides)["deletions"];
  Json kept = Json::array();
  for (const Json& entry : deletions) {
    if (index_of(entry) != canonical_index) kept.push_back(entry);
  }
  deletions = std::move(kept);
  return true;
}

bool add_action(ClipSideState& state, const Action& action, std::string& error) {
  if (action.type == ActionType::MouseMove) return fail(error, "MouseMove cannot be added (movement GT comes from the log)");
  if (action.frame < 0 || action.frame > 1000000) return fail(error, "frame " + std::to_string(action.frame) + " is out of range");
  if (py::strip(action.detail).empty()) return fail(error, "the detail is empty");
  overrides_member(state, "additions", Json::array())
      .push_back(Json{{"frame", action.frame}, {"type", action_type_name(action.type)}, {"detail", action.detail}});
  return true;
}

}  // namespace idm::edit
