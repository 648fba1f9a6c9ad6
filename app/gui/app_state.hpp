#pragma once
// Everything the viewer shows, owned by the main thread. Panels read it and emit commands;
// apply_command (state/apply.hpp) changes it at one point per frame, after the UI is drawn.
// Decoding happens on the DecodeService thread and slow work in tasks (state/tasks.hpp); both
// reach this state only through events and result commands drained at that point. Derived
// values (scores, evaluations, metrics rows) carry the revisions they were computed from.
#include <memory>
#include <string>
#include <vector>

#include "dataset/dataset.hpp"
#include "model/holds.hpp"
#include "dataset/prediction_source.hpp"
#include "dataset/dataset_score.hpp"
#include "scoring/evaluate.hpp"
#include "analysis/metrics_view.hpp"
#include "analysis/sweep.hpp"
#include "scoring/profile.hpp"
#include "state/command.hpp"
#include "state/notifications.hpp"
#include "state/revisions.hpp"
#include "state/rsv_state.hpp"
#include "video/decode_service.hpp"
#include "editor_state.hpp"
#include "clip_motions.hpp"

namespace idm::gui {

struct Source {
  PredictionSet predictions;
  uint64_t revision = 0;     // a new one whenever the predictions are replaced
  DatasetScore score;        // derived: every clip under the profile (browser, metrics, N/P)
  ScoreKey scored_for;       // the inputs `score` was computed from
  bool scored = false;       // false until the first score arrives
};

struct ClipView {
  int clip = -1;                                  // index into dataset.clips
  uint64_t generation = 0;                        // of the DecodeService open
  std::shared_ptr<const ClipVideo> video;         // index + grid map once opened
  std::vector<std::shared_ptr<const CachedFrame>> grid;  // by grid frame, filled as they come
  std::string video_error;
  // Between grid frames (Shift+Left/Right): the native source frame asked for and, once
  // decoded, shown instead of the grid frame. -1: showing the grid.
  int native_source_frame = -1;
  std::shared_ptr<const CachedFrame> native;
  // Derived: one evaluation per source for the lanes, and the GT alone (no source). Rebuilt
  // when the clip, a source, the side files or the profile change (see evaluated_for).
  std::vector<ClipEvaluation> evaluations;
  ClipEvaluation gt_only;
  ScoreKey evaluated_for;                         // source: unused
  std::vector<uint64_t> evaluated_sources;        // the sources' revisions, in order
  bool evaluated = false;
  std::vector<HoldSpan> holds;                    // key and button holds of the log, for the timeline
  ClipMotions motions;                            // GT and per-source motion for the overlays, with evaluations
};

// Derived: what the metrics panel and the metrics export show (per source, the clip and the
// dataset rows). `current` is false while any source's score is older than its inputs.
struct DerivedMetrics {
  std::vector<analysis::SourceMetrics> rows;
  bool current = false;
  int clip = -1;
  std::vector<ScoreKey> from;  // the sources' score keys the rows were built from
};

// Derived, only while the plots ask for it: F1 against tolerance 0..10 per source (scoring the
// dataset 11 times per source, in a task). `key` names the inputs the curves belong to.
struct DerivedSweeps {
  std::string key;
  std::vector<std::string> sources;  // the sources' paths, in the order of `curves`
  std::vector<std::vector<analysis::SweepPoint>> curves;
  std::string computing;             // the key of the running sweep task (empty: none)
  uint64_t task = 0;
};

// The background reading of an opened dataset's clips (state/dataset_fill.hpp).
struct DatasetFill {
  bool done = true;             // every clip read (or known unreadable); tasks may read the clips in place
  size_t filled = 0;            // clips read so far
  size_t from_index = 0;        // clips listed with their browser columns from the index
  bool index_current = false;   // nothing to write back to the index after the fill
  uint64_t batch_task = 0;      // the running batch (0: none)
  int priority_clip = -1;       // the clip read ahead of the batches (-1: none running)
  std::vector<std::string> pending_sources;  // sources added before the fill was done
  double opened_s = 0.0;        // steady-clock seconds when the open was asked for
  double listed_after_s = -1.0; // when the list arrived (after opened_s)
  double filled_after_s = -1.0; // when every clip was read
};

struct AppState {
  Dataset dataset;
  std::string dataset_path;
  std::vector<Source> sources;
  ScoringProfile profile;
  ClipView view;
  int grid_frame = 0;
  NotificationLog notifications;  // newest first: the log panel and the status bar's last line
  Revisions revisions;
  DerivedMetrics metrics;
  DerivedSweeps sweeps;
  std::string loading_dataset;        // a dataset being opened by a task (empty: none)
  DatasetFill fill;
  std::vector<std::string> recent_datasets;  // File > Recent (read before the first frame, then from each open)
  std::vector<cmd::ExportMetrics> pending_exports;  // waiting for current scores
  std::vector<ScoreKey> scoring_for;  // what the running scoring task computes, per source
  uint64_t scoring_task = 0;          // its id (0: none)
  CommandQueue deferred_editor;       // editor commands held while a save of the clip runs
  bool playing = false;
  bool play_native = false;   // false: step the 5 fps grid; true: every source frame at its own time
  bool play_loop = true;      // at the end, start again (else stop)
  int play_direction = 1;     // J plays backwards, L forwards
  double play_speed = 1.0;    // 0.25x .. 4x (menu, or repeated J/L)
  double play_clock_s = 0.0;  // grid mode: time since the last step
  double play_position_us = 0.0;  // native mode: the playhead's pts (microseconds, absolute)
  EditorState editor;  // labelling / override editor of the selected clip (issue 7)
  RsvState rsv;        // Reasoning-Structured Videos mode (state/rsv_state.hpp); rsv.active: shown instead of the dataset
  bool scores_current() const;
  std::string sweep_key() const;  // what a sweep of the current inputs would be keyed by
  ScoreKey wanted_score_key(const Source& source) const {
    return {revisions.dataset, revisions.side_files, revisions.profile, source.revision};
  }
  int grid_length() const { return view.video ? view.video->grid.length() : 25; }
};

}  // namespace idm::gui
