#include "edit/clip_document.hpp"

#include "io/save_journal.hpp"
#include "io/save_lock.hpp"
#include "dataset/side_files.hpp"

namespace idm::edit {

namespace fs = std::filesystem;

namespace {

std::string serialize(const Json& root) { return root.dump(1, ' ') + "\n"; }  // the synth writer's layout

Json with_clip(Json root, const std::string& clip_key, const std::optional<Json>& value) {
  if (value) root[clip_key] = *value;  // an existing key keeps its position
  else root.erase(clip_key);
  return root;
}

}  // namespace

bool parse_side_root(const SideFileSnapshot& file, const char* name, Json& root, std::string& error) {
  root = Json::object();
  if (!file.present) return true;
  std::string_view text = file.bytes;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // UTF-8 BOM
  if (!parse_side_json(text, root, error)) {
    error = std::string(name) + ": " + error;
    return false;
  }
  if (!root.is_object()) {
    error = std::string(name) + ": $ is not an object keyed by clip";
    return false;
  }
  return true;
}

ClipSideState clip_entries(const Json& annotations_root, const Json& overrides_root, const std::string& clip_key) {
  ClipSideState state;
  if (auto it = annotations_root.find(clip_key); it != annotations_root.end()) state.labels = *it;
  if (auto it = overrides_root.find(clip_key); it != overrides_root.end()) state.overrides = *it;
  return state;
}

bool ClipDocument::load_files(std::string& error, bool read_as_decided) {
  SideFileSnapshot annotations, overrides;
  Json annotations_root, overrides_root;
  // A save interrupted (or still running) between its renames is read as it decided.
  DecidedSave decided = read_as_decided ? read_decided_save(folder_) : DecidedSave{};
  if (!decided.error.empty()) open_note_ = decided.error + " (the side files are read as they are)";
  auto read_snapshot = [&](const char* name, SideFileSnapshot& out) {
    auto pending = decided.pending_content.find(name);
    if (pending == decided.pending_content.end()) return read_side_snapshot(folder_ / name, out, error);
    out.present = true;
    out.bytes = pending->second;
    out.hash = content_hash(out.bytes);
    return true;
  };
  if (!read_snapshot(kAnnotationsName, annotations) || !read_snapshot(kOverridesName, overrides) ||
      !parse_side_root(annotations, kAnnotationsName, annotations_root, error) ||
      !parse_side_root(overrides, kOverridesName, overrides_root, error)) {
    return false;
  }
  ClipSideState entries = clip_entries(annotations_root, overrides_root, clip_key_);
  if (std::string problem = editability_problem(entries); !problem.empty()) {
    error = problem + " (clip " + clip_key_ + ")";
    return false;
  }
  annotations_file_ = std::move(annotations);
  overrides_file_ = std::move(overrides);
  annotations_root_ = std::move(annotations_root);
  overrides_root_ = std::move(overrides_root);
  saved_ = entries;
  state_ = std::move(entries);
  return true;
}

bool ClipDocument::open(const fs::path& folder, const std::string& clip_key, std::vector<Action> canonical_gt, std::string& error,
                        Access access) {
  *this = ClipDocument{};
  folder_ = folder;
  clip_key_ = clip_key;
  canonical_ = std::move(canonical_gt);
  read_only_ = access == Access::ReadOnly;
  bool read_as_decided = read_only_;
  if (!read_only_) {
    // Interrupted saves are finished under the save lock, so never one still running. When
    // another process is saving right now, we do not wait: the pair is read as that save
    // decided it (like the read-only readers), and our own save, under the lock, merges
    // whatever it writes.
    SaveLock lock;
    std::string busy, note;
    if (lock.acquire(folder_, 0, busy)) {
      if (!recover_side_files_locked(folder_, note, error)) return false;
    } else {
      read_as_decided = true;
    }
  }
  if (!load_files(error, read_as_decided)) return false;
  open_ = true;
  return true;
}

OverriddenGt ClipDocument::overridden_gt() const {
  ClipOverrides overrides = parsed_overrides(state_);
  return apply_overrides(canonical_, &overrides);
}

std::pair<int, int> ClipDocument::label_progress() const {
  OverriddenGt gt = overridden_gt();
  int labelled = 0;
  for (const ScoredGtItem& item : gt.items) labelled += label(item.label_index).has_value();
  return {labelled, static_cast<int>(gt.items.size())};
}

Json ClipDocument::annotations_root() const { return with_clip(annotations_root_, clip_key_, state_.labels); }
Json ClipDocument::overrides_root() const { return with_clip(overrides_root_, clip_key_, state_.overrides); }

bool ClipDocument::apply(const std::string& description, ClipSideState next) {
  undo_.push_back({description, state_, next});
  redo_.clear();
  state_ = std::move(next);
  return true;
}

bool ClipDocument::set_label(int label_index, std::optional<Visibility> label, std::string& error) {
  ClipSideState next = state_;
  if (!edit::set_label(next, canonical_.size(), label_index, label, error)) return false;
  return apply("label " + std::to_string(label_index) + " " + (label ? visibility_name(*label) : "cleared"), std::move(next));
}

bool ClipDocument::set_labels(const std::vector<int>& label_indices, std::optional<Visibility> label, std::string& error) {
  ClipSideState next = state_;
  int changed = 0;
  for (int index : label_indices) {
    if (index < 0 || static_cast<size_t>(index) >= item_count()) {
      error = "label index " + std::to_string(index) + " is out of range 0.." + std::to_string(static_cast<int64_t>(item_count()) - 1);
      return false;
    }
    std::string already;  // an item that already has the label is simply left as it is
    changed += edit::set_label(next, canonical_.size(), index, label, already);
  }
  if (changed == 0) {
    error = "every selected label is already that";
    return false;
  }
  return apply("label " + std::to_string(changed) + " actions " + (label ? visibility_name(*label) : "cleared"), std::move(next));
}

bool ClipDocument::edit_detail(int label_index, const std::string& detail, std::string& error) {
  ClipSideState next = state_;
  if (!edit::edit_detail(next, canonical_, label_index, detail, error)) return false;
  return apply("edit " + std::to_string(label_index) + " = " + detail, std::move(next));
}

bool ClipDocument::delete_action(int label_index, std::string& error) {
  ClipSideState next = state_;
  if (!edit::delete_action(next, canonical_.size(), label_index, error)) return false;
  return apply("delete " + std::to_string(label_index), std::move(next));
}

bool ClipDocument::restore_action(int canonical_index, std::string& error) {
  ClipSideState next = state_;
  if (!edit::restore_action(next, canonical_.size(), canonical_index, error)) return false;
  return apply("restore " + std::to_string(canonical_index), std::move(next));
}

bool ClipDocument::add_action(const Action& action, std::string& error) {
  ClipSideState next = state_;
  if (!edit::add_action(next, action, error)) return false;
  return apply("add F" + std::to_string(action.frame) + " " + action_type_name(action.type) + " " + action.detail, std::move(next));
}

bool ClipDocument::undo() {
  if (undo_.empty()) return false;
  EditStep step = std::move(undo_.back());
  undo_.pop_back();
  state_ = step.before;
  redo_.push_back(std::move(step));
  return true;
}

bool ClipDocument::redo() {
  if (redo_.empty()) return false;
  EditStep step = std::move(redo_.back());
  redo_.pop_back();
  state_ = step.after;
  undo_.push_back(std::move(step));
  return true;
}

void ClipDocument::adopt_merge(PendingMerge merge) {
  annotations_root_ = std::move(merge.annotations_root);
  overrides_root_ = std::move(merge.overrides_root);
  annotations_file_ = std::move(merge.annotations_file);
  overrides_file_ = std::move(merge.overrides_file);
  saved_ = clip_entries(annotations_root_, overrides_root_, clip_key_);
  state_ = std::move(merge.result.merged);
  undo_.clear();
  redo_.clear();
}

SaveOutcome ClipDocument::save(std::string& message, OnConflict on_conflict) {
  last_merge_.reset();
  if (!open_) {
    message = "no clip is open";
    return SaveOutcome::Failed;
  }
  if (read_only_) {
    message = "opened read-only (a dry run): nothing is saved";
    return SaveOutcome::Failed;
  }
  pending_.reset();
  // From reading the files until the journal is gone, no other editor save runs in this folder.
  SaveLock lock;
  if (!lock.acquire(folder_, kSaveLockTimeout_ms, message)) {
    message += "; your edits are kept here, not saved";
    return SaveOutcome::Failed;
  }
  std::string recovery_note;
  if (!recover_side_files_locked(folder_, recovery_note, message)) {  // a dead save's decided pair first
    message += "; your edits are kept here, not saved";
    return SaveOutcome::Failed;
  }
  SideFileSnapshot annotations_now, overrides_now;
  if (!read_side_snapshot(folder_ / kAnnotationsName, annotations_now, message) ||
      !read_side_snapshot(folder_ / kOverridesName, overrides_now, message)) {
    return SaveOutcome::Failed;
  }
  bool annotations_changed = annotations_now.hash != annotations_file_.hash;
  bool overrides_changed = overrides_now.hash != overrides_file_.hash;
  if ((annotations_changed || overrides_changed) && !dirty()) {
    // Changed on disk and nothing of ours to save: take the new content as it is.
    std::string error;
    if (!load_files(error, false)) {
      message = "a side file was changed by another program and cannot be used now: " + error;
      return SaveOutcome::Failed;
    }
    undo_.clear();  // the steps were made on content that is gone
    redo_.clear();
    message = "nothing to save; the side files changed on disk and were reloaded";
    return SaveOutcome::NothingToSave;
  }
  if (annotations_changed || overrides_changed) {
    // Another program wrote a side file since we read it: never overwrite, offer a merge.
    PendingMerge merge;
    std::string error;
    if (!parse_side_root(annotations_now, kAnnotationsName, merge.annotations_root, error) ||
        !parse_side_root(overrides_now, kOverridesName, merge.overrides_root, error)) {
      message = "a side file was changed by another program and cannot be read now (" + error + "); your edits are kept here, not saved";
      return SaveOutcome::Failed;
    }
    ClipSideState theirs = clip_entries(merge.annotations_root, merge.overrides_root, clip_key_);
    if (!merge_clip_states(saved_, state_, theirs, canonical_.size(), merge.result, error)) {
      message = error + "; your edits are kept here, not saved";
      return SaveOutcome::Failed;
    }
    merge.annotations_file = annotations_now;
    merge.overrides_file = overrides_now;
    std::string files = annotations_changed && overrides_changed ? "annotations.json and gt_overrides.json were"
                        : annotations_changed                    ? "annotations.json was"
                                                                 : "gt_overrides.json was";
    merge.summary = files + " changed by another program since they were read; your edits were re-applied on the new content" +
                    (merge.result.notes.empty() ? std::string(".") : " (" + std::to_string(merge.result.notes.size()) + " conflicting entries kept yours).");
    if (on_conflict == OnConflict::Ask) {
      pending_ = std::move(merge);
      message = pending_->summary;
      return SaveOutcome::Conflict;
    }
    last_merge_ = merge;  // reported by the caller; saved below while still holding the lock
    adopt_merge(std::move(merge));
  }
  if (!dirty()) {
    message = "nothing to save";
    return SaveOutcome::NothingToSave;
  }
  std::vector<SideFileWrite> writes;
  Json new_annotations = annotations_root(), new_overrides = overrides_root();
  auto plan = [&](const SideFileSnapshot& now, const Json& root, uint64_t written_hash, const char* name) {
    SideFileWrite write;
    write.target = folder_ / name;
    write.content = serialize(root);
    if (now.present && now.hash != written_hash) write.backup = now.bytes;  // the last version not written by us
    writes.push_back(std::move(write));
  };
  if (state_.labels != saved_.labels) plan(annotations_now, new_annotations, written_annotations_hash_, kAnnotationsName);
  if (state_.overrides != saved_.overrides) plan(overrides_now, new_overrides, written_overrides_hash_, kOverridesName);
  if (!commit_side_files(folder_, writes, message)) return SaveOutcome::Failed;
  for (const SideFileWrite& write : writes) {
    SideFileSnapshot written{true, write.content, content_hash(write.content)};
    if (write.target.filename() == kAnnotationsName) {
      written_annotations_hash_ = written.hash;
      annotations_file_ = std::move(written);
      annotations_root_ = new_annotations;
    } else {
      written_overrides_hash_ = written.hash;
      overrides_file_ = std::move(written);
      overrides_root_ = new_overrides;
    }
  }
  saved_ = state_;
  message = "saved " + std::to_string(writes.size()) + " file(s)";
  if (last_merge_) message += " (merged with the other program's changes)";
  if (!recovery_note.empty()) message += "; first " + recovery_note;
  return SaveOutcome::Saved;
}

SaveOutcome ClipDocument::accept_merge(std::string& message) {
  if (!pending_) {
    message = "no merge is waiting";
    return SaveOutcome::Failed;
  }
  PendingMerge merge = std::move(*pending_);
  pending_.reset();
  adopt_merge(std::move(merge));
  return save(message);
}

}  // namespace idm::edit
