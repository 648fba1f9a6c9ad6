#include "edit/merge.hpp"

#include <set>
#include <string_view>
#include <unordered_map>

#include "util/python_compat.hpp"

namespace idm::edit {

namespace {

const Json kEmptyObject = Json::object();
const Json kEmptyArray = Json::array();

std::optional<int64_t> key_index(const std::string& key) {
  int64_t parsed = 0;
  if (py::parse_int(key, parsed)) return parsed;
  return std::nullopt;
}

// Appends a member known not to be there yet. ordered_json's operator[] searches the keys
// first, which for a clip with 100,000 labels makes a merge quadratic.
void append_member(Json& object, const std::string& key, const Json& value) {
  static_cast<Json::object_t::Container&>(object.get_ref<Json::object_t&>()).emplace_back(key, value);
}

using MemberIndex = std::unordered_map<std::string_view, const Json*>;

MemberIndex index_members(const Json& object) {
  MemberIndex index;
  index.reserve(object.size());
  for (auto it = object.begin(); it != object.end(); ++it) index.emplace(it.key(), &it.value());
  return index;
}

std::optional<Json> member(const MemberIndex& index, const std::string& key) {
  auto it = index.find(key);
  if (it == index.end()) return std::nullopt;
  return *it->second;
}

// One side's clip entries taken apart: labels of additions travel with their addition.
struct Parts {
  Json plain_labels = Json::object();  // labels that do not address an addition
  std::vector<std::optional<Json>> addition_labels;
  Json extras = Json::object();        // overrides members other than the three known ones
  Json edits = Json::object();
  Json deletions = Json::array();
  Json additions = Json::array();
};

Parts split(const ClipSideState& state, size_t canonical_count) {
  Parts parts;
  if (state.overrides) {
    for (const auto& [key, value] : state.overrides->items()) {
      if (key == "edits") parts.edits = value;
      else if (key == "deletions") parts.deletions = value;
      else if (key == "additions") parts.additions = value;
      else append_member(parts.extras, key, value);  // keys of one object: never repeated
    }
  }
  parts.addition_labels.assign(parts.additions.size(), std::nullopt);
  if (state.labels) {
    int64_t first = static_cast<int64_t>(canonical_count), end = first + static_cast<int64_t>(parts.additions.size());
    for (const auto& [key, value] : state.labels->items()) {
      std::optional<int64_t> index = key_index(key);
      if (index && *index >= first && *index < end) parts.addition_labels[static_cast<size_t>(*index - first)] = value;
      else append_member(parts.plain_labels, key, value);
    }
  }
  return parts;
}

std::string shown(const std::optional<Json>& value) { return value ? value->dump() : "(none)"; }

// A note for an entry both sides changed, the user's value winning.
std::string overwrite_note(const std::string& what, const std::optional<Json>& theirs, const std::optional<Json>& mine) {
  return what + " was changed by the other program too: its " + shown(theirs) + " was replaced by yours, " + shown(mine);
}

// Per key: the user's value where the user changed it, theirs everywhere else. Keys keep
// their place in theirs; keys only the user has come last, in the user's order.
Json merge_objects(const Json& base, const Json& mine, const Json& theirs, const std::string& what, std::vector<std::string>& notes) {
  MemberIndex base_index = index_members(base), mine_index = index_members(mine), theirs_index = index_members(theirs);
  std::vector<std::string> keys;
  for (auto it = mine.begin(); it != mine.end(); ++it) keys.push_back(it.key());
  for (auto it = base.begin(); it != base.end(); ++it) {
    if (!mine_index.count(it.key())) keys.push_back(it.key());
  }
  std::unordered_map<std::string, std::optional<Json>> changes;  // key -> the user's value (none: removed)
  std::vector<std::string> new_keys;                            // changed keys theirs does not have
  for (const std::string& key : keys) {
    std::optional<Json> base_value = member(base_index, key), mine_value = member(mine_index, key), theirs_value = member(theirs_index, key);
    if (base_value == mine_value) continue;
    if (theirs_value != base_value && theirs_value != mine_value) notes.push_back(overwrite_note(what + " \"" + key + "\"", theirs_value, mine_value));
    if (!theirs_value && mine_value) new_keys.push_back(key);
    changes.emplace(key, std::move(mine_value));
  }
  Json result = Json::object();
  for (auto it = theirs.begin(); it != theirs.end(); ++it) {
    auto change = changes.find(it.key());
    if (change == changes.end()) append_member(result, it.key(), it.value());
    else if (change->second) append_member(result, it.key(), *change->second);
  }
  for (const std::string& key : new_keys) append_member(result, key, *changes.at(key));
  return result;
}

Json merge_sets(const Json& base, const Json& mine, const Json& theirs) {
  std::multiset<std::string> base_items, mine_items;
  for (const Json& item : base) base_items.insert(item.dump());
  for (const Json& item : mine) mine_items.insert(item.dump());
  Json result = Json::array();
  std::set<std::string> present;
  for (const Json& item : theirs) {
    std::string text = item.dump();
    if (base_items.count(text) && !mine_items.count(text)) continue;  // the user removed it
    result.push_back(item);
    present.insert(text);
  }
  for (const Json& item : mine) {
    std::string text = item.dump();
    if (!base_items.count(text) && !present.count(text)) {
      result.push_back(item);
      present.insert(text);
    }
  }
  return result;
}

}  // namespace

bool merge_clip_states(const ClipSideState& base, const ClipSideState& mine, const ClipSideState& theirs, size_t canonical_count,
                       MergeResult& out, std::string& error) {
  out = MergeResult{};
  if (std::string problem = editability_problem(theirs); !problem.empty()) {
    error = "the file on disk changed and cannot be merged: " + problem;
    return false;
  }
  if (mine.labels == base.labels && mine.overrides == base.overrides) {
    out.merged = theirs;
    return true;
  }
  Parts b = split(base, canonical_count), m = split(mine, canonical_count), t = split(theirs, canonical_count);

  // Additions by content: pair the user's list with the base list, then walk theirs.
  std::vector<int> base_of_mine(m.additions.size(), -1);
  std::vector<bool> base_kept(b.additions.size(), false);
  for (size_t j = 0; j < m.additions.size(); ++j) {
    for (size_t i = 0; i < b.additions.size(); ++i) {
      if (!base_kept[i] && b.additions[i] == m.additions[j]) {
        base_of_mine[j] = static_cast<int>(i);
        base_kept[i] = true;
        break;
      }
    }
  }
  std::vector<int> mine_of_base(b.additions.size(), -1);
  for (size_t j = 0; j < m.additions.size(); ++j) {
    if (base_of_mine[j] >= 0) mine_of_base[static_cast<size_t>(base_of_mine[j])] = static_cast<int>(j);
  }
  Json additions = Json::array();
  std::vector<std::optional<Json>> addition_labels;
  std::vector<bool> base_seen(b.additions.size(), false);
  for (size_t k = 0; k < t.additions.size(); ++k) {
    int base_index = -1;
    for (size_t i = 0; i < b.additions.size(); ++i) {
      if (!base_seen[i] && b.additions[i] == t.additions[k]) {
        base_index = static_cast<int>(i);
        base_seen[i] = true;
        break;
      }
    }
    std::optional<Json> label = t.addition_labels[k];
    if (base_index >= 0) {
      int mine_index = mine_of_base[static_cast<size_t>(base_index)];
      const std::optional<Json>& base_label = b.addition_labels[static_cast<size_t>(base_index)];
      std::string what = "the label of addition " + t.additions[k].dump();
      if (mine_index < 0) {  // the user deleted this addition
        if (label != base_label) out.notes.push_back(what + " was changed by the other program, but you deleted the addition");
        continue;
      }
      const std::optional<Json>& mine_label = m.addition_labels[static_cast<size_t>(mine_index)];
      if (mine_label != base_label) {
        if (label != base_label && label != mine_label) out.notes.push_back(overwrite_note(what, label, mine_label));
        label = mine_label;
      }
    }
    additions.push_back(t.additions[k]);
    addition_labels.push_back(label);
  }
  for (size_t j = 0; j < m.additions.size(); ++j) {
    size_t base_index = static_cast<size_t>(base_of_mine[j]);
    if (base_of_mine[j] >= 0 && !base_seen[base_index] && m.addition_labels[j] != b.addition_labels[base_index]) {
      out.notes.push_back("your label of addition " + m.additions[j].dump() + " is dropped: the other program deleted the addition");
    }
  }
  for (size_t j = 0; j < m.additions.size(); ++j) {
    if (base_of_mine[j] >= 0) continue;
    additions.push_back(m.additions[j]);  // new (or edited) by the user
    addition_labels.push_back(m.addition_labels[j]);
  }

  if (mine.labels == base.labels) {
    out.merged.labels = theirs.labels;
    // Their labels of additions stay as they are only if the additions kept their positions.
    if (additions != t.additions) {
      Json labels = t.plain_labels;
      for (size_t k = 0; k < addition_labels.size(); ++k) {
        if (addition_labels[k]) labels[std::to_string(canonical_count + k)] = *addition_labels[k];
      }
      out.merged.labels = labels;
    }
  } else {
    Json labels = merge_objects(b.plain_labels, m.plain_labels, t.plain_labels, "label", out.notes);
    for (size_t k = 0; k < addition_labels.size(); ++k) {
      if (addition_labels[k]) labels[std::to_string(canonical_count + k)] = *addition_labels[k];
    }
    out.merged.labels = labels;
  }

  if (mine.overrides == base.overrides) {
    out.merged.overrides = theirs.overrides;
  } else {
    Json overrides = merge_objects(b.extras, m.extras, t.extras, "key", out.notes);
    Json edits = merge_objects(b.edits, m.edits, t.edits, "edit", out.notes);
    Json deletions = merge_sets(b.deletions, m.deletions, t.deletions);
    auto keep = [&](const char* name, Json value) {
      bool anywhere = (theirs.overrides && theirs.overrides->contains(name)) || (mine.overrides && mine.overrides->contains(name));
      if (anywhere || !value.empty()) overrides[name] = std::move(value);
    };
    keep("edits", std::move(edits));
    keep("deletions", std::move(deletions));
    keep("additions", std::move(additions));
    out.merged.overrides = overrides;
  }
  return true;
}

}  // namespace idm::edit
