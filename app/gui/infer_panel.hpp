#pragma once
// "Run model" in the viewer: Ctrl+R runs the model on the current clip, the Model menu runs it
// on the clips shown in the browser or on all clips, a floating window shows per-clip
// progress, cancel (Ctrl+Shift+R), restart, and each error with the worker's log a click
// away. The run itself lives on its own thread (infer::InferRun) and the worker in its own
// process; this file only reads snapshots, so the UI never waits for either. The store is
// reloaded as a prediction source in the background as windows complete (lanes fill in).
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "app_state.hpp"
#include "config/keymap.hpp"
#include "infer/infer_run.hpp"

namespace idm::gui {

// Main thread only.
struct InferUi {
  bool window_open = false;
  int backend = 0;  // kInferBackends index
  char run_name[64] = "gui-baseline";
  char api_url[256] = "http://127.0.0.1:8000/v1";
  char model[128] = "";
  char api_key_env[64] = "";
  char command[512] = "";
  int concurrency = 4;
  std::unique_ptr<infer::InferRun> run;
  std::vector<std::unique_ptr<infer::InferRun>> retired;  // cancelled/replaced, joined once finished
  std::vector<int> run_clips;         // dataset clip indices of the current run (for restart)
  std::string run_dataset_path;       // the dataset the run belongs to
  std::string start_error;
  infer::InferRunSnapshot snapshot;   // refreshed once per frame
  int shown_log_clip = -1;            // -2: the run's log, >= 0: that clip's error + log
  // The longest gap between two frames while the run went on, printed when it finishes: the
  // UI must not wait for the worker (target: no frame over 50 ms).
  double last_poll_s = -1.0;
  double slowest_frame_ms = 0.0;
  double slowest_poll_ms = 0.0;  // of that, the time poll_infer itself took
  bool reported_finish = false;
  // Background reload of the store as a prediction source.
  std::future<PredictionSet> reload;
  int reloaded_progress = -1;
  double last_reload_s = -1.0;
};

// Starts a run on these clips with the window's settings (replacing a finished run).
void start_infer(AppState& state, InferUi& ui, const std::vector<int>& clip_indices);
// Once per frame, before drawing: refresh the snapshot, reload the store when it moved on.
void poll_infer(AppState& state, InferUi& ui, double now_s);
// Inside the main window, after the File menu: the Model menu.
void draw_infer_menu(AppState& state, InferUi& ui, const std::vector<int>& browser_order);
// Ctrl+R: run on the current clip; Ctrl+Shift+R: cancel (keymap actions run_model, cancel_run).
void handle_infer_keys(AppState& state, InferUi& ui, const KeyMap& keys);
// A run or a store reload is under way: the UI keeps drawing instead of waiting for input.
bool infer_busy(const InferUi& ui);
// The floating run window.
void draw_infer_window(AppState& state, InferUi& ui);

}  // namespace idm::gui
