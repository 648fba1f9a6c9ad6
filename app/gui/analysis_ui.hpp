#pragma once
// Issue 6 in the viewer: the metrics and plots panels, the View and Export menus, N/P and
// Ctrl+E, the overlay hook of the video panel, and the exports. Main thread only; controls
// record requests here and apply_analysis_requests() applies them between frames.
#include "config/keymap.hpp"
#include <imgui.h>

#include <array>
#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "analysis/confusion.hpp"
#include "analysis/sweep.hpp"
#include "app_state.hpp"
#include "mp4_export_job.hpp"
#include "panels.hpp"

namespace idm {
class DecodeService;
}

namespace idm::gui {

struct AnalysisUi {
  // Metrics panel.
  std::vector<std::string> profile_names;  // assets/profiles/*.json, read once
  std::string profile_requested;           // a profile picked in the selector
  std::array<int, kActionTypeCount> tolerance_requested{-1, -1, -1, -1};  // -1: unchanged
  bool rescore_requested = false;          // a tolerance slider moved
  int compare_a = 0;
  int compare_b = 1;
  // Plots panel.
  bool scatter_whole_dataset = true;
  int confusion_source = 0;
  std::string sweep_key;                   // what the cached sweeps were computed for
  std::vector<std::vector<analysis::SweepPoint>> sweeps;  // per source
  std::vector<std::string> sweep_sources;  // the sources' paths the sweeps belong to, in order
  // The sweep scores the dataset 11 times per source: it runs on its own thread, on copies of
  // the dataset and sources, while the plot keeps the previous curves.
  std::future<std::vector<std::vector<analysis::SweepPoint>>> sweep_pending;
  std::string sweep_pending_key;
  std::vector<std::string> sweep_pending_sources;
  std::string confusion_key;               // what the cached confusion list was computed for
  std::vector<analysis::Confusion> confusions;
  // Exports, run after the frame is drawn.
  bool export_png = false;
  bool export_csv = false;
  bool export_mp4 = false;
  bool cancel_mp4 = false;
  std::string export_dir = "idmscope-exports";
  // The MP4 export under way: decoded and encoded on its own thread, overlays drawn here a few
  // milliseconds per UI frame (step_analysis_exports), so the UI keeps running.
  std::unique_ptr<Mp4ExportJob> mp4_job;
  std::chrono::steady_clock::time_point mp4_started;
  int mp4_ui_frames = 0;             // UI frames drawn while it ran
  int mp4_shown_progress = -1;       // frames encoded, as last shown on the status line
  double mp4_slowest_step_ms = 0.0;  // the most one UI frame spent on it
};

void draw_metrics_panel(const AppState& state, AnalysisUi& ui);
void draw_plots_panel(const AppState& state, AnalysisUi& ui);
// View (overlay switches) and Export menus; call inside the menu bar.
void draw_analysis_menus(const AppState& state, AnalysisUi& ui, OverlaySettings& overlays);
// N / P: next / previous FN or FP across the dataset in browser order; Ctrl+E: export PNG,
// Ctrl+Shift+E: export MP4.
void handle_analysis_keys(AppState& state, DecodeService& service, const BrowserUi& browser, AnalysisUi& ui, const KeyMap& keys);
// The overlays on the video and the click that places the anchor. `image_min`/`image_max` is
// the video's on-screen rectangle, `panel_min`/`panel_max` the panel that clips it. Call right
// after the video canvas item.
void video_overlay_hook(const AppState& state, OverlaySettings& overlays, ImVec2 image_min, ImVec2 image_max, int video_width_px,
                        int video_height_px, ImVec2 panel_min, ImVec2 panel_max);
// Profile and tolerance changes (rescoring every source).
void apply_analysis_requests(AppState& state, AnalysisUi& ui);
// PNG (the window as drawn: call after rendering, before the swap), CSV and MP4 exports.
void run_analysis_exports(AppState& state, AnalysisUi& ui, const OverlaySettings& overlays, int framebuffer_width, int framebuffer_height);
// Once per UI frame, outside the viewer's ImGui frame: advances an MP4 export by a few ms of
// overlay drawing and reports its progress and result on the status line.
void step_analysis_exports(AppState& state, AnalysisUi& ui);
// An export is under way: the UI keeps drawing instead of waiting for input.
bool analysis_export_busy(const AnalysisUi& ui);
// Background work whose result is not on screen yet (a tolerance sweep).
bool analysis_work_pending(const AnalysisUi& ui);

}  // namespace idm::gui
