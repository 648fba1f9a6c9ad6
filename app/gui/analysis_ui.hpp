#pragma once
// The metrics and plots panels, the View and Export menus, N/P and Ctrl+E, the overlay hook of
// the video panel, and the PNG/MP4 exports. Main thread only; controls emit commands.
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
#include "state/tasks.hpp"

namespace idm::gui {

struct AnalysisUi {
  // Metrics panel.
  std::vector<std::string> profile_names;  // assets/profiles/*.json, listed before the first frame
  int compare_a = 0;
  int compare_b = 1;
  // Plots panel.
  bool scatter_whole_dataset = true;
  int confusion_source = 0;
  std::string confusion_key;               // what the cached confusion list was computed for
  std::vector<analysis::Confusion> confusions;
  // Exports (ExportPng / ExportMp4 commands), run after the frame is drawn.
  bool export_png = false;
  bool export_mp4 = false;
  bool cancel_mp4 = false;
  // Where exports go: DATASET/.idmscope/exports/ (absolute; ./idmscope-exports/ with no
  // dataset). Follows the open dataset; shown in the Export menu and in every export's notice.
  std::string export_dir = "idmscope-exports";
  // The MP4 export under way: decoded and encoded on its own thread, overlays drawn here a few
  // milliseconds per UI frame (step_analysis_exports), so the UI keeps running.
  std::unique_ptr<Mp4ExportJob> mp4_job;
  std::chrono::steady_clock::time_point mp4_started;
  int mp4_ui_frames = 0;             // UI frames drawn while it ran
  int mp4_shown_progress = -1;       // frames encoded, as last shown on the status line
  double mp4_slowest_step_ms = 0.0;  // the most one UI frame spent on it
};

// Lists assets/profiles/*.json for the selector (before the frame loop: it reads a folder).
void list_profiles(AnalysisUi& ui);
void draw_metrics_panel(const AppState& state, AnalysisUi& ui, CommandQueue& commands);
void draw_plots_panel(const AppState& state, AnalysisUi& ui, CommandQueue& commands);
// View (overlay switches) and Export menus; call inside the menu bar.
void draw_analysis_menus(const AppState& state, AnalysisUi& ui, OverlaySettings& overlays, CommandQueue& commands);
// N / P: next / previous FN or FP across the dataset in browser order; Ctrl+E: export PNG,
// Ctrl+Shift+E: export MP4.
void handle_analysis_keys(const AppState& state, const BrowserUi& browser, const KeyMap& keys, CommandQueue& commands);
// The window's own commands (ExportPng, ExportMp4, CancelMp4): recorded for run_analysis_exports.
void apply_analysis_window_command(AnalysisUi& ui, const Command& command);
// The overlays on the video and the click that places the anchor. `image_min`/`image_max` is
// the video's on-screen rectangle, `panel_min`/`panel_max` the panel that clips it. Call right
// after the video canvas item.
void video_overlay_hook(const AppState& state, OverlaySettings& overlays, ImVec2 image_min, ImVec2 image_max, int video_width_px,
                        int video_height_px, ImVec2 panel_min, ImVec2 panel_max);
// PNG (the window as drawn: call after rendering, before the swap) and MP4 exports.
// The PNG is read from the framebuffer here and encoded and written by a task.
void run_analysis_exports(AppState& state, AnalysisUi& ui, const OverlaySettings& overlays, int framebuffer_width, int framebuffer_height,
                          TaskRegistry& tasks);
// Once per UI frame, outside the viewer's ImGui frame: advances an MP4 export by a few ms of
// overlay drawing and reports its progress and result on the status line.
void step_analysis_exports(AppState& state, AnalysisUi& ui);
// An export is under way: the UI keeps drawing instead of waiting for input.
bool analysis_export_busy(const AnalysisUi& ui);

}  // namespace idm::gui
