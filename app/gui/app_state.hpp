#pragma once
// Everything the viewer shows, owned by the main thread (panels read it, commands change it
// between frames). Decoding happens on the DecodeService thread and reaches this state only
// through its events, drained once per frame.
#include <memory>
#include <string>
#include <vector>

#include "dataset/dataset.hpp"
#include "model/holds.hpp"
#include "dataset/prediction_source.hpp"
#include "dataset/dataset_score.hpp"
#include "scoring/evaluate.hpp"
#include "scoring/profile.hpp"
#include "video/decode_service.hpp"
#include "editor_state.hpp"
#include "overlay.hpp"

namespace idm::gui {

struct Source {
  PredictionSet predictions;
  DatasetScore score;  // under the current profile, for the browser's F1 column
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
  std::vector<ClipEvaluation> evaluations;        // one per source, for the lanes
  ClipEvaluation gt_only;                         // no predictions: GT lanes when there is no source
  std::vector<HoldSpan> holds;                    // key and button holds of the log, for the timeline
  ClipMotions motions;                            // GT and per-source motion for the overlays, with evaluations
};

struct AppState {
  Dataset dataset;
  std::string dataset_path;
  std::vector<Source> sources;
  ScoringProfile profile;
  ClipView view;
  int grid_frame = 0;
  std::string status;  // the last thing that went wrong (or was opened), shown in the menu bar
  bool playing = false;
  bool play_native = false;   // false: step the 5 fps grid; true: every source frame at its own time
  bool play_loop = true;      // at the end, start again (else stop)
  int play_direction = 1;     // J plays backwards, L forwards
  double play_speed = 1.0;    // 0.25x .. 4x (menu, or repeated J/L)
  double play_clock_s = 0.0;  // grid mode: time since the last step
  double play_position_us = 0.0;  // native mode: the playhead's pts (microseconds, absolute)
  EditorState editor;  // labelling / override editor of the selected clip (issue 7)
  uint64_t side_files_generation = 0;  // bumped whenever the editor publishes labels/overrides
  int grid_length() const { return view.video ? view.video->grid.length() : 25; }
};

}  // namespace idm::gui
