// Editor actions: selection, edits through the clip document, live re-scoring, saving.
#include "editor.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>

#include "commands.hpp"
#include "io/atomic_write.hpp"

namespace idm::gui {

namespace {

constexpr double kAutosaveDelay_s = 1.0;  // after the last edit: a burst of labels is one save

// A monotonic clock that also runs while the UI waits for events (ImGui's time does not).
double now_s() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

std::vector<double> source_f1s(const AppState& state) {
  std::vector<double> out;
  for (const ClipEvaluation& evaluation : state.view.evaluations) out.push_back(precision_recall_f1(evaluation.total).f1);
  return out;
}

// Hands the document's entries to the dataset (which the scorer and browser read) and
// re-scores the clip under every source.
void publish(AppState& state) {
  EditorState& editor = state.editor;
  if (!editor.document.is_open()) return;
  const std::string& key = editor.document.clip_key();
  if (editor.document.state().labels) state.dataset.annotations.clips[key] = editor.document.labels();
  else state.dataset.annotations.clips.erase(key);
  if (editor.document.state().overrides) state.dataset.overrides.clips[key] = editor.document.overrides();
  else state.dataset.overrides.clips.erase(key);
  ++state.side_files_generation;  // dataset-wide results (the sweep) are redone
  if (state.view.clip < 0) return;
  reevaluate_clip(state);
  for (size_t s = 0; s < state.sources.size() && s < state.view.evaluations.size(); ++s) {
    auto& clips = state.sources[s].score.clips;
    if (static_cast<size_t>(state.view.clip) < clips.size()) clips[static_cast<size_t>(state.view.clip)].evaluation = state.view.evaluations[s];
  }
}

// Runs one change of the document (an edit, undo or redo) and records what it did to F1.
template <typename Change>
bool run_change(AppState& state, Change change) {
  EditorState& editor = state.editor;
  if (!editor.document.is_open()) return false;
  std::vector<double> before = source_f1s(state);
  std::string description;
  if (!change(editor.document, description)) {
    state.status = description;
    return false;
  }
  publish(state);
  std::vector<double> after = source_f1s(state);
  EditEffect effect{description, {}};
  for (size_t s = 0; s < after.size() && s < before.size(); ++s) effect.f1_delta.push_back(after[s] - before[s]);
  editor.history.push_back(std::move(effect));
  if (editor.history.size() > 200) editor.history.erase(editor.history.begin());
  editor.last_edit_s = now_s();
  editor.detail_for = -1;  // the detail field shows the new state
  editor.autosave_paused = false;
  if (editor.selected >= static_cast<int>(editor.document.item_count())) editor.selected = -1;
  std::erase_if(editor.bulk, [&](int index) { return index >= static_cast<int>(editor.document.item_count()); });
  return true;
}

// Edits that add an undo step: the step's description is the history entry.
template <typename Edit>
bool run_edit(AppState& state, Edit edit) {
  return run_change(state, [&](edit::ClipDocument& document, std::string& text) {
    if (!edit(document, text)) return false;
    text = document.last_step()->description;
    return true;
  });
}

void handle_save_outcome(AppState& state, edit::SaveOutcome outcome, const std::string& message) {
  EditorState& editor = state.editor;
  editor.save_status = message;
  editor.save_failed = outcome == edit::SaveOutcome::Failed;
  if (outcome == edit::SaveOutcome::Conflict) editor.show_merge = true;
  if (outcome == edit::SaveOutcome::Failed || outcome == edit::SaveOutcome::Conflict) editor.autosave_paused = true;
  if (outcome == edit::SaveOutcome::Failed) state.status = message;
}

// GT items in the order shown (after overrides, by frame and type).
std::vector<int> order_of_items(const AppState& state) {
  std::vector<int> order;
  for (const ScoredGtItem& item : state.editor.document.overridden_gt().items) order.push_back(item.label_index);
  return order;
}

bool document_label_is(const AppState& state, int label_index, Visibility label) { return state.editor.document.label(label_index) == label; }

}  // namespace

void editor_flush(AppState& state) {
  EditorState& editor = state.editor;
  if (!editor.document.is_open() || !editor.document.dirty()) return;
  std::string message;
  handle_save_outcome(state, editor.document.save(message), message);
}

// Saves, and re-scores when saving changed what is shown (files reloaded from disk).
void save_and_publish(AppState& state) {
  edit::ClipSideState before = state.editor.document.state();
  std::string message;
  handle_save_outcome(state, state.editor.document.save(message), message);
  if (!(state.editor.document.state() == before)) publish(state);
}

// Leaving a clip (or the window): its edits must not be lost. A conflict is merged (the other
// program's changes and the user's both kept, the replaced file backed up) and said so in the
// status line; if even that cannot be written, the edits go to a rescue file beside the
// side files, named in the status line.
void editor_flush_before_leaving(AppState& state) {
  EditorState& editor = state.editor;
  if (!editor.document.is_open() || !editor.document.dirty()) return;
  std::string message;
  // Merged and saved under one hold of the save lock: no third program can slip in between.
  edit::SaveOutcome outcome = editor.document.save(message, edit::OnConflict::Merge);
  if (const auto& merge = editor.document.last_merge(); merge && outcome == edit::SaveOutcome::Saved) {
    state.status = "clip " + editor.document.clip_key() + ": the side files had changed on disk; your edits were merged into them (previous version in .bak)";
    if (!merge->result.notes.empty()) state.status += "; " + std::to_string(merge->result.notes.size()) + " of the other program's entries replaced by yours (see stderr)";
    std::fprintf(stderr, "idmscope: %s\n", state.status.c_str());
    for (const std::string& note : merge->result.notes) std::fprintf(stderr, "idmscope: merge: %s\n", note.c_str());
  }
  if (outcome != edit::SaveOutcome::Failed) return;
  edit::Json rescue = {{"clip", editor.document.clip_key()},
                       {"annotations", editor.document.state().labels.value_or(edit::Json())},
                       {"gt_overrides", editor.document.state().overrides.value_or(edit::Json())},
                       {"why", message}};
  std::filesystem::path path = editor.document.folder() / (".idmscope-unsaved-" + std::to_string(static_cast<long long>(std::time(nullptr))) + ".json");
  std::string error;
  if (write_file_atomically(path, rescue.dump(1) + "\n", error)) state.status = "could not save (" + message + "); your edits are in " + path.string();
  else state.status = "could not save (" + message + ") nor write a rescue file (" + error + ")";
  std::fprintf(stderr, "idmscope: %s\n", state.status.c_str());
}

namespace {

// Size and modification time of both side files: cheap to read every second.
std::string side_files_signature(const std::filesystem::path& folder) {
  std::string signature;
  for (const char* name : {"annotations.json", "gt_overrides.json"}) {
    std::error_code size_error, time_error;
    auto size = std::filesystem::file_size(folder / name, size_error);
    auto modified = std::filesystem::last_write_time(folder / name, time_error);
    signature += size_error || time_error ? std::string("-") : std::to_string(size) + "@" + std::to_string(modified.time_since_epoch().count());
    signature += ";";
  }
  return signature;
}

// Another program changed a side file and nothing here is unsaved: reload it now, so the
// screen shows it, instead of finding out at the next save. (With unsaved edits the save,
// due within a second, merges.)
void poll_side_files(AppState& state) {
  EditorState& editor = state.editor;
  if (!editor.document.is_open() || editor.show_merge || now_s() - editor.last_disk_check_s < 1.0) return;
  editor.last_disk_check_s = now_s();
  std::string signature = side_files_signature(editor.document.folder());
  bool changed = !editor.disk_signature.empty() && signature != editor.disk_signature;
  editor.disk_signature = signature;
  if (!changed || editor.document.dirty()) return;
  edit::ClipSideState before = editor.document.state();
  save_and_publish(state);  // with nothing unsaved this reloads what changed on disk
  if (!(editor.document.state() == before)) state.status = "the side files changed on disk: reloaded " + editor.document.clip_key();
}

}  // namespace

void editor_sync(AppState& state) {
  EditorState& editor = state.editor;
  if (editor.clip != state.view.clip || editor.dataset_path != state.dataset_path) {
    editor_flush_before_leaving(state);
    std::string dataset_path = state.dataset_path;
    int clip = state.view.clip;
    bool autosave = editor.autosave;
    editor = EditorState{};
    editor.autosave = autosave;
    editor.clip = clip;
    editor.dataset_path = dataset_path;
    if (clip >= 0 && static_cast<size_t>(clip) < state.dataset.clips.size()) {
      const DatasetClip& dataset_clip = state.dataset.clips[static_cast<size_t>(clip)];
      std::string error;
      if (!dataset_clip.loaded) editor.open_error = "this clip could not be read: " + dataset_clip.error;
      else if (!editor.document.open(state.dataset.root, dataset_clip.key, dataset_clip.canonical_gt, error)) editor.open_error = error;
      else {
        publish(state);  // the files may be newer than the dataset's copy (or a save was finished)
        editor.disk_signature = side_files_signature(editor.document.folder());  // changes from now on are noticed
        editor.last_disk_check_s = now_s();
      }
    }
  }
  if (editor.autosave && !editor.autosave_paused && editor.document.is_open() && editor.document.dirty() &&
      now_s() - editor.last_edit_s >= kAutosaveDelay_s) {
    editor_flush(state);
  }
  poll_side_files(state);
}

double editor_seconds_until_autosave(const AppState& state) {
  const EditorState& editor = state.editor;
  if (!editor.autosave || editor.autosave_paused || !editor.document.is_open() || !editor.document.dirty()) return 1e9;
  return std::max(0.0, editor.last_edit_s + kAutosaveDelay_s - now_s());
}

void editor_select(AppState& state, int label_index) {
  EditorState& editor = state.editor;
  if (!editor.document.is_open() || label_index < 0 || label_index >= static_cast<int>(editor.document.item_count())) return;
  editor.selected = label_index;
  editor.scroll_to_selected = true;
  for (const ScoredGtItem& item : editor.document.overridden_gt().items) {
    if (item.label_index == label_index) set_grid_frame(state, item.action.frame);
  }
}

void editor_select_step(AppState& state, int direction) {
  std::vector<int> order = order_of_items(state);
  if (order.empty()) return;
  auto at = std::find(order.begin(), order.end(), state.editor.selected);
  long position = at == order.end() ? (direction > 0 ? 0 : static_cast<long>(order.size()) - 1) : (at - order.begin()) + direction;
  position = std::clamp<long>(position, 0, static_cast<long>(order.size()) - 1);
  editor_select(state, order[static_cast<size_t>(position)]);
}

void editor_label(AppState& state, Visibility label) {
  EditorState& editor = state.editor;
  std::vector<int> targets(editor.bulk.begin(), editor.bulk.end());
  if (targets.empty() && editor.selected >= 0) targets.push_back(editor.selected);
  if (targets.empty()) {
    state.status = "select a GT action first (Tab, a click in the list or in a lane)";
    return;
  }
  bool done = run_edit(state, [&](edit::ClipDocument& document, std::string& error) {
    return targets.size() == 1 ? document.set_label(targets[0], label, error) : document.set_labels(targets, label, error);
  });
  if (!done && targets.size() == 1 && document_label_is(state, targets[0], label)) done = true;  // already that: still move on
  if (!done) return;
  editor.bulk.clear();
  // Next unlabelled action after the last labelled one, in GT order (wrapping around).
  std::vector<int> order = order_of_items(state);
  auto at = std::find(order.begin(), order.end(), targets.back());
  size_t start = at == order.end() ? 0 : static_cast<size_t>(at - order.begin());
  for (size_t step = 1; step <= order.size(); ++step) {
    int candidate = order[(start + step) % order.size()];
    if (!editor.document.label(candidate)) {
      editor_select(state, candidate);
      return;
    }
  }
}

void editor_undo(AppState& state) {
  run_change(state, [](edit::ClipDocument& document, std::string& text) {
    if (!document.can_undo()) {
      text = "nothing to undo";
      return false;
    }
    text = "undo " + document.last_step()->description;
    return document.undo();
  });
}

void editor_redo(AppState& state) {
  run_change(state, [](edit::ClipDocument& document, std::string& text) {
    if (!document.can_redo()) {
      text = "nothing to redo";
      return false;
    }
    text = "redo " + document.next_redo()->description;
    return document.redo();
  });
}

void editor_save(AppState& state) {
  if (state.editor.document.is_open()) save_and_publish(state);
}

void editor_delete_selected(AppState& state) {
  int selected = state.editor.selected;
  if (selected < 0) return;
  if (run_edit(state, [&](edit::ClipDocument& document, std::string& error) { return document.delete_action(selected, error); })) {
    state.editor.selected = -1;
    editor_select_step(state, 1);
  }
}

void editor_restore(AppState& state, int canonical_index) {
  run_edit(state, [&](edit::ClipDocument& document, std::string& error) { return document.restore_action(canonical_index, error); });
}

bool editor_edit_detail(AppState& state, const std::string& detail) {
  int selected = state.editor.selected;
  return run_edit(state, [&](edit::ClipDocument& document, std::string& error) { return document.edit_detail(selected, detail, error); });
}

bool editor_add(AppState& state, const Action& action) {
  bool added = run_edit(state, [&](edit::ClipDocument& document, std::string& error) { return document.add_action(action, error); });
  if (added) editor_select(state, static_cast<int>(state.editor.document.item_count()) - 1);
  return added;
}

void editor_accept_merge(AppState& state) {
  EditorState& editor = state.editor;
  std::string message;
  std::vector<std::string> notes = editor.document.pending_merge() ? editor.document.pending_merge()->result.notes : std::vector<std::string>{};
  edit::SaveOutcome outcome = editor.document.accept_merge(message);
  handle_save_outcome(state, outcome, message);
  if (outcome == edit::SaveOutcome::Saved) {  // the dialog listed them; the terminal keeps them too
    for (const std::string& note : notes) std::fprintf(stderr, "idmscope: merge: %s\n", note.c_str());
  }
  editor.history.push_back({"merged the other program's changes (undo history restarts)", {}});
  publish(state);
}

void editor_begin_detail(AppState& state) {
  if (state.editor.selected < 0) {
    state.status = "select a GT action to edit (Tab)";
    return;
  }
  state.editor.focus_detail = 2;
  state.editor.adding = false;
}

void editor_begin_add(AppState& state) {
  if (!state.editor.document.is_open()) return;
  state.editor.adding = true;
  state.editor.focus_add = 2;
}

}  // namespace idm::gui
