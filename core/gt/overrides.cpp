#include "gt/overrides.hpp"

#include <algorithm>

#include "gt/pipeline.hpp"

namespace idm {

namespace {

bool in_range(const IndexKey& key, size_t count) {
  return key.index && *key.index >= 0 && static_cast<uint64_t>(*key.index) < count;
}

std::string range_warning(const char* what, const IndexKey& key, size_t count) {
  std::string why = key.index ? "out of range 0.." + std::to_string(static_cast<int64_t>(count) - 1) : "not an integer";
  return std::string(what) + " index \"" + key.text + "\" is " + why + " (kept in the file, not applied)";
}

}  // namespace

OverriddenGt apply_overrides(const std::vector<Action>& canonical, const ClipOverrides* overrides) {
  OverriddenGt out;
  out.canonical_count = canonical.size();
  out.deleted.assign(canonical.size(), false);
  std::vector<ScoredGtItem> items;
  items.reserve(canonical.size());
  for (size_t i = 0; i < canonical.size(); ++i) items.push_back({canonical[i], static_cast<int>(i), Provenance::Original});
  if (overrides) {
    out.warnings = overrides->warnings;
    for (const EditEntry& edit : overrides->edits) {
      if (!in_range(edit.key, canonical.size())) {
        out.warnings.push_back(range_warning("edit", edit.key, canonical.size()));
        ++out.index_warnings;
        continue;
      }
      ScoredGtItem& item = items[static_cast<size_t>(*edit.key.index)];
      item.action.detail = edit.detail;
      item.provenance = Provenance::Edited;
    }
    for (const IndexKey& deletion : overrides->deletions) {
      if (!in_range(deletion, canonical.size())) {
        out.warnings.push_back(range_warning("deletion", deletion, canonical.size()));
        ++out.index_warnings;
        continue;
      }
      out.deleted[static_cast<size_t>(*deletion.index)] = true;
    }
  }
  for (size_t i = 0; i < canonical.size(); ++i) {
    if (!out.deleted[i]) out.items.push_back(std::move(items[i]));
  }
  if (overrides) {
    out.addition_count = overrides->additions.size();
    for (size_t k = 0; k < overrides->additions.size(); ++k) {
      const AdditionEntry& addition = overrides->additions[k];
      if (!addition.action) continue;  // its warning came with the parsed overrides
      out.items.push_back({*addition.action, static_cast<int>(canonical.size() + k), Provenance::Added});
    }
  }
  std::stable_sort(out.items.begin(), out.items.end(), [](const ScoredGtItem& a, const ScoredGtItem& b) {
    if (a.action.frame != b.action.frame) return a.action.frame < b.action.frame;
    return action_type_sort_rank(a.action.type) < action_type_sort_rank(b.action.type);
  });
  return out;
}

ResolvedLabels resolve_labels(const ClipLabels* labels, size_t label_index_count) {
  ResolvedLabels out;
  out.by_label_index.assign(label_index_count, std::nullopt);
  if (!labels) return out;
  for (const LabelEntry& entry : labels->entries) {
    if (!in_range(entry.key, label_index_count)) {
      out.warnings.push_back(range_warning("label", entry.key, label_index_count));
      ++out.index_warnings;
      continue;
    }
    if (!entry.value) {
      out.warnings.push_back("label " + entry.key.text + " has value " + entry.value_text +
                             ", not visible/inferable/ambiguous/not_predictable (counts as unlabelled)");
      continue;
    }
    out.by_label_index[static_cast<size_t>(*entry.key.index)] = entry.value;
  }
  return out;
}

}  // namespace idm
