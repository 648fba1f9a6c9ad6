// Editor operations: selection, edits through the clip document, live re-scoring of the clip,
// and the side-file reads and writes, which run as tasks on copies of the document.
#include "editor_actions.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>

#include "commands.hpp"
#include "io/atomic_write.hpp"
#include "state/tasks.hpp"

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
  // Every number computed from the side files (the clip's lanes now; the sources' dataset
  // scores, the metrics rows and the sweep in tasks) is derived again from this revision.
  ++state.revisions.side_files;
  refresh_clip_evaluations(state);
}

// Runs one change of the document (an edit, undo or redo) and records what it did to F1.
template <typename Change>
bool run_change(AppState& state, Change change) {
  EditorState& editor = state.editor;
  if (!editor.document.is_open()) return false;
  std::vector<double> before = source_f1s(state);
  std::string description;
  if (!change(editor.document, description)) {
    notify(state, NoticeCode::EditRejected, Severity::Info, editor.document.clip_key(), description);
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
  if (outcome == edit::SaveOutcome::Failed) notify(state, NoticeCode::SaveFailed, Severity::Error, editor.document.clip_key(), message);
  if (outcome == edit::SaveOutcome::Conflict) notify(state, NoticeCode::SaveConflict, Severity::Warning, editor.document.clip_key(), message);
}

// GT items in the order shown (after overrides, by frame and type).
std::vector<int> order_of_items(const AppState& state) {
  std::vector<int> order;
  for (const ScoredGtItem& item : state.editor.document.overridden_gt().items) order.push_back(item.label_index);
  return order;
}

bool document_label_is(const AppState& state, int label_index, Visibility label) { return state.editor.document.label(label_index) == label; }

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

// Leaving a clip (or the window): its edits must not be lost. A conflict is merged (the other
// program's changes and the user's both kept, the replaced file backed up); if even that cannot
// be written, the edits go to a rescue file beside the side files. Runs in a task (or after
// the frame loop); returns what the user must be told.
std::optional<Notice> save_for_leaving(edit::ClipDocument& document, edit::SaveOutcome& outcome, std::string& message) {
  // Merged and saved under one hold of the save lock: no third program can slip in between.
  outcome = document.save(message, edit::OnConflict::Merge);
  if (const auto& merge = document.last_merge(); merge && outcome == edit::SaveOutcome::Saved) {
    std::string text = "clip " + document.clip_key() + ": the side files had changed on disk; your edits were merged into them (previous version in .bak)";
    if (!merge->result.notes.empty()) text += "; " + std::to_string(merge->result.notes.size()) + " of the other program's entries replaced by yours (see stderr)";
    for (const std::string& note : merge->result.notes) std::fprintf(stderr, "idmscope: merge: %s\n", note.c_str());
    return Notice{NoticeCode::SaveMerged, Severity::Warning, document.clip_key(), text, 0};
  }
  if (outcome != edit::SaveOutcome::Failed) return std::nullopt;
  edit::Json rescue = {{"clip", document.clip_key()},
                       {"annotations", document.state().labels.value_or(edit::Json())},
                       {"gt_overrides", document.state().overrides.value_or(edit::Json())},
                       {"why", message}};
  std::filesystem::path path = document.folder() / (".idmscope-unsaved-" + std::to_string(static_cast<long long>(std::time(nullptr))) + ".json");
  std::string error;
  if (write_file_atomically(path, rescue.dump(1) + "\n", error)) {
    return Notice{NoticeCode::RescueWritten, Severity::Error, path.string(), "could not save (" + message + "); your edits are in " + path.string(), 0};
  }
  return Notice{NoticeCode::SaveFailed, Severity::Error, document.clip_key(), "could not save (" + message + ") nor write a rescue file (" + error + ")", 0};
}

// Saves a copy of the document in a task. For Save and AcceptMerge the copy comes back and
// replaces the document (edits wait meanwhile); a Leave save is fire-and-forget.
void start_save(ViewerContext& context, cmd::SaveKind kind) {
  EditorState& editor = context.state.editor;
  if (!editor.document.is_open()) return;
  auto copy = std::make_shared<edit::ClipDocument>(editor.document);
  if (kind != cmd::SaveKind::Leave) editor.save_in_flight = true;
  std::string name = (kind == cmd::SaveKind::AcceptMerge ? "save merged " : "save ") + editor.document.clip_key();
  context.tasks.start(TaskKind::Save, name, [copy, kind, dataset_path = editor.dataset_path, clip = editor.clip](TaskContext&) -> Command {
    cmd::EditorSaveDone done;
    done.kind = kind;
    done.dataset_path = dataset_path;
    done.clip = clip;
    if (kind == cmd::SaveKind::Leave) done.notice = save_for_leaving(*copy, done.outcome, done.message);
    else if (kind == cmd::SaveKind::AcceptMerge) {
      std::vector<std::string> notes = copy->pending_merge() ? copy->pending_merge()->result.notes : std::vector<std::string>{};
      done.outcome = copy->accept_merge(done.message);
      if (done.outcome == edit::SaveOutcome::Saved) {  // the dialog listed them; the terminal keeps them too
        for (const std::string& note : notes) std::fprintf(stderr, "idmscope: merge: %s\n", note.c_str());
      }
    }
    else done.outcome = copy->save(done.message);
    done.disk_signature = side_files_signature(copy->folder());
    if (kind != cmd::SaveKind::Leave) done.document = copy;
    return done;
  });
}

void start_open(ViewerContext& context) {
  AppState& state = context.state;
  EditorState& editor = state.editor;
  const DatasetClip& dataset_clip = state.dataset.clips[static_cast<size_t>(editor.clip)];
  if (!dataset_clip.filled) {  // its log is being read (the dataset's fill reads it first)
    editor.opening = true;
    editor.waiting_for_log = true;
    return;
  }
  if (!dataset_clip.loaded) {
    editor.open_error = "this clip could not be read: " + dataset_clip.error;
    return;
  }
  editor.opening = true;
  context.tasks.start(TaskKind::EditorOpen, "open " + dataset_clip.key,
                      [root = state.dataset.root, key = dataset_clip.key, gt = dataset_clip.canonical_gt, dataset_path = state.dataset_path,
                       clip = editor.clip](TaskContext&) -> Command {
                        cmd::EditorOpened opened;
                        opened.dataset_path = dataset_path;
                        opened.clip = clip;
                        auto document = std::make_shared<edit::ClipDocument>();
                        if (document->open(root, key, gt, opened.error)) {
                          opened.document = document;
                          opened.disk_signature = side_files_signature(document->folder());
                        }
                        return opened;
                      });
}

// Another program changed a side file and nothing here is unsaved: reload it now (a save with
// nothing unsaved re-reads the files), so the screen shows it, instead of finding out at the
// next save. With unsaved edits the save, due within a second, merges.
// The signature (sizes and mtimes) is read in a task; on_disk_polled compares it.
void poll_side_files(ViewerContext& context) {
  EditorState& editor = context.state.editor;
  if (!editor.document.is_open() || editor.show_merge || editor.save_in_flight || editor.disk_poll_in_flight ||
      now_s() - editor.last_disk_check_s < 1.0) {
    return;
  }
  editor.last_disk_check_s = now_s();
  editor.disk_poll_in_flight = true;
  context.tasks.start(TaskKind::EditorDiskPoll, "look at " + editor.document.clip_key() + "'s side files",
                      [folder = editor.document.folder(), dataset_path = editor.dataset_path, clip = editor.clip](TaskContext&) -> Command {
                        return cmd::EditorDiskPolled{dataset_path, clip, side_files_signature(folder)};
                      });
}

void on_disk_polled(ViewerContext& context, cmd::EditorDiskPolled& polled) {
  EditorState& editor = context.state.editor;
  editor.disk_poll_in_flight = false;
  // A save meanwhile set the signature it wrote; another clip or dataset has its own.
  if (polled.clip != editor.clip || polled.dataset_path != editor.dataset_path || !editor.document.is_open() || editor.show_merge ||
      editor.save_in_flight) {
    return;
  }
  bool changed = !editor.disk_signature.empty() && polled.signature != editor.disk_signature;
  editor.disk_signature = polled.signature;
  if (changed && !editor.document.dirty()) start_save(context, cmd::SaveKind::Save);
}

void on_opened(ViewerContext& context, cmd::EditorOpened& opened) {
  AppState& state = context.state;
  EditorState& editor = state.editor;
  if (!editor.opening || opened.clip != editor.clip || opened.dataset_path != editor.dataset_path) return;  // the user moved on
  editor.opening = false;
  if (!opened.document) {
    editor.open_error = opened.error;
    return;
  }
  editor.document = std::move(*opened.document);
  publish(state);  // the files may be newer than the dataset's copy (or a save was finished)
  editor.disk_signature = opened.disk_signature;  // changes from now on are noticed
  editor.last_disk_check_s = now_s();
}

void on_saved(ViewerContext& context, cmd::EditorSaveDone& done) {
  AppState& state = context.state;
  EditorState& editor = state.editor;
  if (done.notice) notify(state, done.notice->code, done.notice->severity, done.notice->where, done.notice->message);
  if (done.kind == cmd::SaveKind::Leave) return;
  if (!editor.save_in_flight || done.clip != editor.clip || done.dataset_path != editor.dataset_path || !done.document) return;
  editor.save_in_flight = false;
  bool was_dirty = editor.document.dirty();
  edit::ClipSideState before = editor.document.state();
  editor.document = std::move(*done.document);  // no edit ran meanwhile: they waited
  editor.disk_signature = done.disk_signature;
  handle_save_outcome(state, done.outcome, done.message);
  if (done.kind == cmd::SaveKind::AcceptMerge) {
    editor.history.push_back({"merged the other program's changes (undo history restarts)", {}});
    publish(state);
    return;
  }
  if (!(editor.document.state() == before)) {
    publish(state);
    if (!was_dirty) notify(state, NoticeCode::ReloadedFromDisk, Severity::Info, editor.document.clip_key(),
                           "the side files changed on disk: reloaded " + editor.document.clip_key());
  }
}

}  // namespace

void editor_flush_before_leaving(AppState& state) {
  EditorState& editor = state.editor;
  if (!editor.document.is_open() || !editor.document.dirty()) return;
  edit::SaveOutcome outcome;
  std::string message;
  if (auto notice = save_for_leaving(editor.document, outcome, message)) notify(state, notice->code, notice->severity, notice->where, notice->message);
}

void editor_sync(ViewerContext& context) {
  AppState& state = context.state;
  EditorState& editor = state.editor;
  if ((editor.clip != state.view.clip || editor.dataset_path != state.dataset_path) && !editor.save_in_flight) {
    if (editor.document.is_open() && editor.document.dirty()) start_save(context, cmd::SaveKind::Leave);
    bool autosave = editor.autosave;
    editor = EditorState{};
    editor.autosave = autosave;
    editor.clip = state.view.clip;
    editor.dataset_path = state.dataset_path;
    if (editor.clip >= 0 && static_cast<size_t>(editor.clip) < state.dataset.clips.size()) start_open(context);
  } else if (editor.waiting_for_log && editor.clip >= 0 && static_cast<size_t>(editor.clip) < state.dataset.clips.size() &&
             state.dataset.clips[static_cast<size_t>(editor.clip)].filled) {
    editor.waiting_for_log = false;
    editor.opening = false;
    start_open(context);
  }
  if (editor.autosave && !editor.autosave_paused && !editor.save_in_flight && editor.document.is_open() && editor.document.dirty() &&
      now_s() - editor.last_edit_s >= kAutosaveDelay_s) {
    start_save(context, cmd::SaveKind::Save);
  }
  poll_side_files(context);
}

double editor_seconds_until_autosave(const AppState& state) {
  const EditorState& editor = state.editor;
  if (!editor.autosave || editor.autosave_paused || !editor.document.is_open() || !editor.document.dirty()) return 1e9;
  return std::max(0.0, editor.last_edit_s + kAutosaveDelay_s - now_s());
}

namespace {

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
    notify(state, NoticeCode::NothingSelected, Severity::Info, "", "select a GT action first (Tab, a click in the list or in a lane)");
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

void editor_delete_selected(AppState& state) {
  int selected = state.editor.selected;
  if (selected < 0) return;
  std::vector<int> before = order_of_items(state);
  long position = std::find(before.begin(), before.end(), selected) - before.begin();
  if (run_edit(state, [&](edit::ClipDocument& document, std::string& error) { return document.delete_action(selected, error); })) {
    // The selection stays where it was in the list: on the row that followed the deleted one
    // (the one before it when it was the last), and the playhead follows it there.
    state.editor.selected = -1;
    std::vector<int> after = order_of_items(state);
    if (!after.empty()) editor_select(state, after[static_cast<size_t>(std::clamp<long>(position, 0, static_cast<long>(after.size()) - 1))]);
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

void editor_begin_detail(AppState& state) {
  if (state.editor.selected < 0) {
    notify(state, NoticeCode::NothingSelected, Severity::Info, "", "select a GT action to edit (Tab)");
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


bool is_editing(const Command& command) {
  return std::holds_alternative<cmd::EditorLabel>(command) || std::holds_alternative<cmd::EditorUndo>(command) ||
         std::holds_alternative<cmd::EditorRedo>(command) || std::holds_alternative<cmd::EditorSave>(command) ||
         std::holds_alternative<cmd::EditorDeleteSelected>(command) || std::holds_alternative<cmd::EditorRestore>(command) ||
         std::holds_alternative<cmd::EditorEditDetail>(command) || std::holds_alternative<cmd::EditorAdd>(command) ||
         std::holds_alternative<cmd::EditorAcceptMerge>(command);
}

}  // namespace

bool is_editor_command(const Command& command) {
  return is_editing(command) || std::holds_alternative<cmd::EditorSelect>(command) || std::holds_alternative<cmd::EditorSelectStep>(command) ||
         std::holds_alternative<cmd::EditorToggleBulk>(command) || std::holds_alternative<cmd::EditorDismissMerge>(command) ||
         std::holds_alternative<cmd::EditorBeginDetail>(command) || std::holds_alternative<cmd::EditorBeginAdd>(command) ||
         std::holds_alternative<cmd::EditorCancelAdd>(command) || std::holds_alternative<cmd::SetAutosave>(command) ||
         std::holds_alternative<cmd::EditorOpened>(command) || std::holds_alternative<cmd::EditorSaveDone>(command) ||
         std::holds_alternative<cmd::EditorDiskPolled>(command);
}

void apply_editor_command(ViewerContext& context, Command& command) {
  AppState& state = context.state;
  EditorState& editor = state.editor;
  if (editor.save_in_flight && is_editing(command)) {  // applied once the saved copy is back
    state.deferred_editor.push_back(std::move(command));
    return;
  }
  std::visit(
      [&](auto& c) {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, cmd::EditorSelect>) {
          if (c.clear_bulk) editor.bulk.clear();
          editor_select(state, c.label_index);
        }
        else if constexpr (std::is_same_v<T, cmd::EditorSelectStep>) editor_select_step(state, c.direction);
        else if constexpr (std::is_same_v<T, cmd::EditorToggleBulk>) {
          if (!editor.bulk.erase(c.label_index)) editor.bulk.insert(c.label_index);
        } else if constexpr (std::is_same_v<T, cmd::EditorLabel>) editor_label(state, c.label);
        else if constexpr (std::is_same_v<T, cmd::EditorUndo>) editor_undo(state);
        else if constexpr (std::is_same_v<T, cmd::EditorRedo>) editor_redo(state);
        else if constexpr (std::is_same_v<T, cmd::EditorSave>) start_save(context, cmd::SaveKind::Save);
        else if constexpr (std::is_same_v<T, cmd::EditorDeleteSelected>) editor_delete_selected(state);
        else if constexpr (std::is_same_v<T, cmd::EditorRestore>) editor_restore(state, c.canonical_index);
        else if constexpr (std::is_same_v<T, cmd::EditorEditDetail>) editor_edit_detail(state, c.detail);
        else if constexpr (std::is_same_v<T, cmd::EditorAdd>) {
          if (editor_add(state, c.action)) {
            editor.adding = false;
            editor.add_detail[0] = 0;
          }
        } else if constexpr (std::is_same_v<T, cmd::EditorAcceptMerge>) start_save(context, cmd::SaveKind::AcceptMerge);
        else if constexpr (std::is_same_v<T, cmd::EditorDismissMerge>) {
          editor.document.dismiss_merge();
          editor.save_status = "not saved: the files changed on disk (Ctrl+S to merge)";
        } else if constexpr (std::is_same_v<T, cmd::EditorBeginDetail>) editor_begin_detail(state);
        else if constexpr (std::is_same_v<T, cmd::EditorBeginAdd>) editor_begin_add(state);
        else if constexpr (std::is_same_v<T, cmd::EditorCancelAdd>) editor.adding = false;
        else if constexpr (std::is_same_v<T, cmd::SetAutosave>) editor.autosave = c.on;
        else if constexpr (std::is_same_v<T, cmd::EditorOpened>) on_opened(context, c);
        else if constexpr (std::is_same_v<T, cmd::EditorSaveDone>) on_saved(context, c);
        else if constexpr (std::is_same_v<T, cmd::EditorDiskPolled>) on_disk_polled(context, c);
      },
      command);
}

}  // namespace idm::gui
