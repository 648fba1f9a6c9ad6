#pragma once
// Every change the viewer makes to its state is one of these commands. Panels and key handlers
// only append commands to the frame's queue; the viewer applies the queue at one point per
// frame, after the UI is drawn (apply_command, state/apply.hpp). Slow work runs as a task
// (state/tasks.hpp) whose result comes back as a command too (the *Loaded/*Done ones below).
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "edit/clip_document.hpp"
#include "analysis/sweep.hpp"
#include "dataset/dataset.hpp"
#include "dataset/prediction_source.hpp"
#include "model/actions.hpp"
#include "dataset/dataset_score.hpp"
#include "scoring/profile.hpp"
#include "state/notifications.hpp"
#include "state/revisions.hpp"
#include "state/rsv_command.hpp"

namespace idm::gui::cmd {

// --- Time control and clips ---------------------------------------------------------------
struct SelectClip { int clip = 0; };
struct SelectClipByKey { std::string key; };
struct StepClip { int delta = 1; std::vector<int> order; };  // walks the browser's shown order
struct SeekGrid { int frame = 0; };                            // clamped to the clip
struct SeekLast {};
struct StepGrid { int delta = 1; };
struct ShowNative { int source_frame = 0; };                   // between grid frames; pauses
struct StepNative { int delta = 1; };
struct TogglePlay {};
struct Jkl { char key = 'k'; };                                // j backwards, k pause, l forwards
struct SetPlayNative { bool native = false; };
struct SetPlaySpeed { double speed = 1.0; };
struct SetLoop { bool loop = true; };
struct AdvancePlayback { double dt_s = 0.0; };                 // the frame clock, once per frame
struct JumpToMiss { int direction = 1; std::vector<int> order; };  // N / P

// --- Data ---------------------------------------------------------------------------------
struct OpenDataset { std::string path; };
struct OpenPath { std::string path; };      // dropped or picked: a dataset folder, else a source
struct AddSource { std::string path; };
struct RemoveSource { size_t index = 0; };
struct SetProfile { std::string name_or_path; };
struct SetTolerance { int type = 0; int frames = 0; };
// The metrics as the panel shows them: the per-clip CSV and/or the panel's JSON (dataset and
// clip rows per source, and A vs B), written once every source's score is current.
struct ExportMetrics {
  std::string dir;
  bool csv = true;
  bool json = false;
  int compare_a = 0;
  int compare_b = 1;
};
struct CancelTask { uint64_t task = 0; };
struct WantSweep {};  // the plots show the tolerance sweep: compute it if it is stale

// --- Editor -------------------------------------------------------------------------------
struct EditorSelect { int label_index = -1; bool clear_bulk = false; };  // moves the playhead to it
struct EditorSelectStep { int direction = 1; };
struct EditorToggleBulk { int label_index = -1; };
struct EditorLabel { Visibility label = Visibility::Visible; };
struct EditorUndo {};
struct EditorRedo {};
struct EditorSave {};
struct EditorDeleteSelected {};
struct EditorRestore { int canonical_index = -1; };
struct EditorEditDetail { std::string detail; };
struct EditorAdd { Action action; };
struct EditorAcceptMerge {};
struct EditorDismissMerge {};
struct EditorBeginDetail {};
struct EditorBeginAdd {};
struct EditorCancelAdd {};
struct SetAutosave { bool on = true; };

// --- Handled by the window (they need GL or the model-run UI) --------------------------------
struct ExportPng {};
struct ExportMp4 {};
struct CancelMp4 {};
struct RunModel { std::vector<int> clips; };

// --- Results of tasks ---------------------------------------------------------------------
struct DatasetLoaded {
  std::string path;
  std::shared_ptr<Dataset> dataset;  // null: could not be read (error says why)
  std::string error;
  std::string recent_error;          // the recent-datasets list could not be saved
  std::vector<std::string> recent;   // the list after this open
  std::vector<std::string> clip_problems;  // clips that cannot be read or scored (idmscope check's problems)
  // Listed only: clips are filled later (ClipsFilled). index_current: the index had every
  // clip's entry as it is on disk (nothing to write back after the fill).
  bool listed_only = false;
  bool index_current = false;
  size_t clips_from_index = 0;  // clips whose browser columns came from the index
};
// A batch of clips read in the background (state/dataset_fill.hpp), for the dataset of that revision.
struct ClipsFilled {
  uint64_t dataset_revision = 0;
  bool priority = false;  // the clip on screen, read ahead of the batches
  std::vector<size_t> indices;
  std::vector<DatasetClip> clips;
};
// After the fill: the clips that cannot be read or scored, and whether the index was written.
struct DatasetChecked {
  uint64_t dataset_revision = 0;
  std::vector<std::string> clip_problems;
  std::string index_error;
};
struct ProfileLoaded {
  std::shared_ptr<ScoringProfile> profile;  // null: could not be read
  std::string error;
};
struct SourceLoaded {
  std::string path;
  std::shared_ptr<PredictionSet> predictions;  // null: could not be read
  std::string error;
};
struct ScoredSource {
  std::string path;
  ScoreKey key;
  DatasetScore score;
};
struct ScoresComputed { std::vector<ScoredSource> sources; };
struct SweepComputed {
  std::string key;
  std::vector<std::string> sources;
  std::vector<std::vector<analysis::SweepPoint>> curves;
};
struct FileWritten {
  std::string path;
  std::string error;  // empty: written
};
struct EditorOpened {
  std::string dataset_path;
  int clip = -1;
  std::shared_ptr<edit::ClipDocument> document;  // null: could not be opened
  std::string error;
  std::string disk_signature;
};
enum class SaveKind { Save, AcceptMerge, Leave };
struct EditorSaveDone {
  SaveKind kind = SaveKind::Save;
  std::string dataset_path;
  int clip = -1;
  std::shared_ptr<edit::ClipDocument> document;  // the saved copy (Save / AcceptMerge)
  edit::SaveOutcome outcome = edit::SaveOutcome::NothingToSave;
  std::string message;
  std::optional<Notice> notice;  // what the user must be told (a leave-save's merge or rescue)
  std::string disk_signature;
};
// The editor's once-a-second look at the clip's side files (a task: it stats files).
struct EditorDiskPolled {
  std::string dataset_path;
  int clip = -1;
  std::string signature;
};
struct TaskCancelled { std::string name; };
struct Notify { Notice notice; };

}  // namespace idm::gui::cmd

namespace idm::gui {

using Command = std::variant<
    cmd::SelectClip, cmd::SelectClipByKey, cmd::StepClip, cmd::SeekGrid, cmd::SeekLast, cmd::StepGrid, cmd::ShowNative, cmd::StepNative,
    cmd::TogglePlay, cmd::Jkl, cmd::SetPlayNative, cmd::SetPlaySpeed, cmd::SetLoop, cmd::AdvancePlayback, cmd::JumpToMiss,
    cmd::OpenDataset, cmd::OpenPath, cmd::AddSource, cmd::RemoveSource, cmd::SetProfile, cmd::SetTolerance, cmd::ExportMetrics,
    cmd::CancelTask, cmd::WantSweep,
    cmd::EditorSelect, cmd::EditorSelectStep, cmd::EditorToggleBulk, cmd::EditorLabel, cmd::EditorUndo, cmd::EditorRedo, cmd::EditorSave,
    cmd::EditorDeleteSelected, cmd::EditorRestore, cmd::EditorEditDetail, cmd::EditorAdd, cmd::EditorAcceptMerge, cmd::EditorDismissMerge,
    cmd::EditorBeginDetail, cmd::EditorBeginAdd, cmd::EditorCancelAdd, cmd::SetAutosave,
    cmd::ExportPng, cmd::ExportMp4, cmd::CancelMp4, cmd::RunModel,
    cmd::DatasetLoaded, cmd::ClipsFilled, cmd::DatasetChecked, cmd::ProfileLoaded, cmd::SourceLoaded, cmd::ScoresComputed, cmd::SweepComputed, cmd::FileWritten, cmd::EditorOpened, cmd::EditorSaveDone,
    cmd::EditorDiskPolled, cmd::TaskCancelled, cmd::Notify,
    // Reasoning-Structured Videos mode (state/rsv_command.hpp)
    cmd::RsvOpen, cmd::RsvSelectItem, cmd::RsvStepItem, cmd::RsvSeek, cmd::RsvStepFrame, cmd::RsvStepStep, cmd::RsvJumpPartner,
    cmd::RsvToggleDifference, cmd::RsvToggleFlicker, cmd::RsvTogglePlay, cmd::RsvAdvance, cmd::RsvSetCheckSettings,
    cmd::RsvLoaded, cmd::RsvChecked, cmd::RsvFramesDecoded, cmd::RsvPsnrCurve>;

// The frame's commands, in the order they were asked for.
using CommandQueue = std::vector<Command>;

}  // namespace idm::gui
