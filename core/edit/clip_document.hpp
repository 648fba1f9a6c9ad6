#pragma once
// The editing document of one clip: its visibility labels and GT overrides on top of the eval
// set's side files, every change an undoable step, and saving that never loses anyone's data.
// The GUI editor and `idmscope edit` both work through this class. Owned by one thread (the
// GUI's main thread, or the CLI); it does file I/O only in open(), save() and accept_merge().
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "edit/clip_state.hpp"
#include "edit/merge.hpp"
#include "edit/side_store.hpp"
#include "gt/overrides.hpp"

namespace idm::edit {

// One undo step: the clip's entries before and after, so undo and redo restore them exactly
// (provenance, key spelling and order included).
struct EditStep {
  std::string description;  // "label 7 visible", "delete 3", ...
  ClipSideState before;
  ClipSideState after;
};

enum class SaveOutcome { Saved, NothingToSave, Conflict, Failed };
// What save() does when another program changed a side file since it was read: Ask returns
// Conflict with the merge for the user to accept; Merge saves the merge at once (still under
// the save lock, so nothing can slip in between) and reports it in last_merge().
enum class OnConflict { Ask, Merge };

// What save() found when another program had changed a side file since we loaded it.
struct PendingMerge {
  MergeResult result;
  Json annotations_root;
  Json overrides_root;
  SideFileSnapshot annotations_file;
  SideFileSnapshot overrides_file;
  std::string summary;  // for the user: which files changed and what the merge keeps
};

class ClipDocument {
 public:
  // Finishes any interrupted save in `folder` (unless another process is saving there right
  // now: then the pair is read as that save decided it), then reads both side files. False with an error
  // naming the file when a side file is unreadable, not JSON, or this clip's entry is malformed.
  // Read-only (a dry run) writes nothing: an interrupted save is read as it decided, not
  // finished, and save() refuses.
  enum class Access { Edit, ReadOnly };
  bool open(const std::filesystem::path& folder, const std::string& clip_key, std::vector<Action> canonical_gt, std::string& error,
            Access access = Access::Edit);
  bool is_open() const { return open_; }
  // Read-only: what was odd about an interrupted save (a journal or pending copy that cannot be
  // trusted, so the files were read as they are). Empty otherwise.
  const std::string& open_note() const { return open_note_; }

  const std::string& clip_key() const { return clip_key_; }
  const std::filesystem::path& folder() const { return folder_; }
  const std::vector<Action>& canonical_gt() const { return canonical_; }
  const ClipSideState& state() const { return state_; }
  size_t canonical_count() const { return canonical_.size(); }
  size_t item_count() const { return canonical_.size() + addition_count(state_); }  // N+K
  ClipLabels labels() const { return parsed_labels(state_); }
  ClipOverrides overrides() const { return parsed_overrides(state_); }
  OverriddenGt overridden_gt() const;
  std::optional<Visibility> label(int label_index) const { return label_of(state_, canonical_.size(), label_index); }
  // Labelled items among those still in the GT after overrides / all of them.
  std::pair<int, int> label_progress() const;
  // The whole side files as they would be saved now (other clips as loaded).
  Json annotations_root() const;
  Json overrides_root() const;

  // Edits: each is one undo step; false with error when it does not apply (state unchanged).
  bool set_label(int label_index, std::optional<Visibility> label, std::string& error);
  bool set_labels(const std::vector<int>& label_indices, std::optional<Visibility> label, std::string& error);
  bool edit_detail(int label_index, const std::string& detail, std::string& error);
  bool delete_action(int label_index, std::string& error);
  bool restore_action(int canonical_index, std::string& error);
  bool add_action(const Action& action, std::string& error);

  bool can_undo() const { return !undo_.empty(); }
  bool can_redo() const { return !redo_.empty(); }
  const EditStep* last_step() const { return undo_.empty() ? nullptr : &undo_.back(); }
  const EditStep* next_redo() const { return redo_.empty() ? nullptr : &redo_.back(); }
  bool undo();
  bool redo();
  size_t undo_depth() const { return undo_.size(); }

  bool dirty() const { return !(state_ == saved_); }
  // Writes both side files (only the ones whose entries changed) after checking that nobody
  // changed them since they were read, holding the folder's save lock throughout (waiting for
  // another process's save first). On Conflict nothing is written and pending_merge()
  // holds the user's edits re-applied on the new content for the user to accept. Without
  // unsaved edits, files changed on disk are simply reloaded (NothingToSave; state() changes).
  SaveOutcome save(std::string& message, OnConflict on_conflict = OnConflict::Ask);
  // After a save with OnConflict::Merge that merged: what it merged (summary and the entries
  // where the other program's change was overwritten by the user's). Empty otherwise.
  const std::optional<PendingMerge>& last_merge() const { return last_merge_; }
  const PendingMerge* pending_merge() const { return pending_ ? &*pending_ : nullptr; }
  // Takes the merge as the new state (the undo history restarts: older steps were made on
  // content that no longer exists) and saves it.
  SaveOutcome accept_merge(std::string& message);
  void dismiss_merge() { pending_.reset(); }

 private:
  bool apply(const std::string& description, ClipSideState next);
  bool load_files(std::string& error, bool read_as_decided);
  void adopt_merge(PendingMerge merge);

  bool open_ = false;
  bool read_only_ = false;
  std::string open_note_;
  std::filesystem::path folder_;
  std::string clip_key_;
  std::vector<Action> canonical_;
  Json annotations_root_ = Json::object();  // as loaded / last saved
  Json overrides_root_ = Json::object();
  SideFileSnapshot annotations_file_;       // bytes and hash as loaded / last saved
  SideFileSnapshot overrides_file_;
  uint64_t written_annotations_hash_ = 0;   // what this document last wrote (no backup over our own save)
  uint64_t written_overrides_hash_ = 0;
  ClipSideState saved_;                     // the clip's entries in the files as loaded / last saved
  ClipSideState state_;                     // the clip's entries now
  std::vector<EditStep> undo_;
  std::vector<EditStep> redo_;
  std::optional<PendingMerge> pending_;
  std::optional<PendingMerge> last_merge_;
};

// Reads one side file's root object; a missing file gives an empty object.
bool parse_side_root(const SideFileSnapshot& file, const char* name, Json& root, std::string& error);
ClipSideState clip_entries(const Json& annotations_root, const Json& overrides_root, const std::string& clip_key);

}  // namespace idm::edit
