#pragma once
// "Run model" in the viewer: Ctrl+R runs the model on the current clip, the Model menu and the
// run window run it on the marked clips, the clips shown in the browser or all clips. The
// window holds the backend settings (defaults from infer.json, savable back), shows per-clip
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
#include "folder_picker.hpp"
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
  char prompt_file[1024] = "";  // empty: the built-in assets/prompts/idm-window.txt
  float temperature = 0.0f;
  int max_tokens = 1024;
  bool burn_labels = true;       // Fxx in the top-left corner of each frame
  int max_edge_px = -1;          // -1: the backend's default (1280 for models, full size for the baseline)
  int concurrency = 4;
  // Defaults from infer.json (the same file `idmscope infer` reads), loaded once, and the
  // result of the last load or save, shown in the window.
  bool defaults_loaded = false;
  std::string config_path;
  std::string config_message;
  bool config_error = false;
  // The prompt file as last read: checked when the path changes, not every frame.
  std::string prompt_checked_path = "\x01";
  std::string prompt_text;
  std::string prompt_problem;
  FolderPicker prompt_picker;
  std::unique_ptr<infer::InferRun> run;
  std::vector<std::unique_ptr<infer::InferRun>> retired;  // cancelled/replaced, joined once finished
  // A run being started on a thread of its own (opening its store writes run.json), adopted by
  // poll_infer once it is back.
  struct StartedRun {
    std::unique_ptr<infer::InferRun> run;
    bool ok = false;
    std::string error;
  };
  std::future<StartedRun> starting;
  std::future<std::string> saving_defaults;  // "Save as defaults" writing infer.json: its error, or empty
  std::vector<int> starting_clips;
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
  // The most main-thread CPU one frame used while the run went on (layout, drawing, GL
  // submission and swap): what the UI thread itself spent, whatever the scheduler did.
  double slowest_frame_cpu_ms = 0.0;
  bool reported_finish = false;
  // Background reload of the store as a prediction source.
  std::future<PredictionSet> reload;
  int reloaded_progress = -1;
  double last_reload_s = -1.0;
};

// Which clips "run on ..." can mean: the browser's shown rows and its marked ones.
struct ClipChoice {
  std::vector<int> shown;
  std::vector<int> marked;
};

// Reads infer.json into the window's fields (once; `reload` forces it).
void load_infer_defaults(InferUi& ui, bool reload = false);
// Starts a run on these clips with the window's settings (replacing a finished run).
void start_infer(AppState& state, InferUi& ui, const std::vector<int>& clip_indices);
// Once per frame, before drawing: refresh the snapshot, reload the store when it moved on.
void poll_infer(AppState& state, InferUi& ui, double now_s);
// Inside the main window, after the File menu: the Model menu.
void draw_infer_menu(AppState& state, InferUi& ui, const ClipChoice& choice);
// Ctrl+R: run on the current clip; Ctrl+Shift+R: cancel (keymap actions run_model, cancel_run).
void handle_infer_keys(AppState& state, InferUi& ui, const KeyMap& keys);
// After each frame's swap: the main-thread CPU that frame took, kept while a run goes on.
void note_frame_cpu(InferUi& ui, double cpu_ms);
// A run or a store reload is under way: the UI keeps drawing instead of waiting for input.
bool infer_busy(const InferUi& ui);
// The floating run window.
void draw_infer_window(AppState& state, InferUi& ui, const ClipChoice& choice);

}  // namespace idm::gui
