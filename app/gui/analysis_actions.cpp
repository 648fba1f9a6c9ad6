// The viewer's analysis hooks: View and Export menus, N/P and Ctrl+E, the overlay hook of the
// video panel, and the PNG and MP4 exports.
#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>
#include <filesystem>

#include "analysis/metrics_view.hpp"
#include "analysis/triage.hpp"
#include "analysis_ui.hpp"
#include "key_input.hpp"
#include "commands.hpp"
#include "io/atomic_write.hpp"
#include "overlay_export.hpp"
#include "texture.hpp"

namespace idm::gui {

namespace {

// A file name from a clip key ("a/b/clip_x" -> "a_b_clip_x").
std::string file_stem(const std::string& key) {
  std::string out = key;
  std::replace(out.begin(), out.end(), '/', '_');
  return out;
}

bool ensure_dir(const std::string& dir, std::string& error) {
  std::error_code code;
  std::filesystem::create_directories(dir, code);
  if (code) error = "cannot create " + dir + ": " + code.message();
  return !code;
}

}  // namespace

void draw_analysis_menus(const AppState& state, AnalysisUi& ui, OverlaySettings& overlays, CommandQueue& commands) {
  // The exports folder follows the dataset (no file access: a path computation).
  std::filesystem::path exports = state.dataset_path.empty() ? std::filesystem::path("idmscope-exports")
                                                             : std::filesystem::path(state.dataset_path) / ".idmscope" / "exports";
  ui.export_dir = std::filesystem::absolute(exports).lexically_normal().string();
  if (ImGui::BeginMenu("View")) {
    ImGui::MenuItem("GT arrows", nullptr, &overlays.gt_arrows);
    ImGui::MenuItem("Model arrows", nullptr, &overlays.source_arrows);
    ImGui::MenuItem("Whole chain (faint)", nullptr, &overlays.whole_chain);
    ImGui::MenuItem("Fading trail", nullptr, &overlays.trail);
    ImGui::SetNextItemWidth(120);
    ImGui::SliderInt("trail frames", &overlays.trail_frames, 1, 24);
    ImGui::MenuItem("Current arrows: angle error, ratio", nullptr, &overlays.highlight);
    ImGui::MenuItem("Scroll gauge", nullptr, &overlays.scroll_gauge);
    ImGui::MenuItem("Keycast badges", nullptr, &overlays.keycast);
    ImGui::Separator();
    ImGui::MenuItem("Anchor follows the current frame", nullptr, &overlays.anchor_follows_frame);
    if (ImGui::MenuItem("Anchor at the frame centre", nullptr, false, overlays.anchor_set)) overlays.anchor_set = false;
    ImGui::TextDisabled("click the video to place the anchor");
    ImGui::EndMenu();
  }
  bool have_clip = state.view.clip >= 0;
  if (ImGui::BeginMenu("Export")) {
    if (ImGui::MenuItem("Export PNG (current view)", "Ctrl+E", false, have_clip)) commands.push_back(cmd::ExportPng{});
    bool exporting = ui.mp4_job != nullptr;
    if (ImGui::MenuItem("Export MP4 (clip with overlays)", "Ctrl+Shift+E", false,
                        !exporting && have_clip && state.dataset.clips[static_cast<size_t>(state.view.clip)].has_video)) {
      commands.push_back(cmd::ExportMp4{});
    }
    if (ImGui::MenuItem("Cancel the MP4 export", nullptr, false, exporting)) commands.push_back(cmd::CancelMp4{});
    if (ImGui::MenuItem("Export CSV (per-clip metrics)", nullptr, false, !state.sources.empty())) {
      commands.push_back(cmd::ExportMetrics{ui.export_dir, true, false, ui.compare_a, ui.compare_b});
    }
    if (ImGui::MenuItem("Export metrics JSON (the metrics panel)", nullptr, false, !state.sources.empty())) {
      commands.push_back(cmd::ExportMetrics{ui.export_dir, false, true, ui.compare_a, ui.compare_b});
    }
    ImGui::TextDisabled("into %s/", (std::filesystem::absolute(ui.export_dir)).string().c_str());
    ImGui::EndMenu();
  }
}

void handle_analysis_keys(const AppState& state, const BrowserUi& browser, const KeyMap& keys, CommandQueue& commands) {
  if (!keyboard_free()) return;
  if (action_pressed(keys, "export_png", false)) commands.push_back(cmd::ExportPng{});
  if (action_pressed(keys, "export_mp4", false)) commands.push_back(cmd::ExportMp4{});
  int direction = action_pressed(keys, "next_miss") ? 1 : action_pressed(keys, "previous_miss") ? -1 : 0;
  if (direction != 0 && !state.dataset.clips.empty()) commands.push_back(cmd::JumpToMiss{direction, browser.order});
}

void apply_analysis_window_command(AnalysisUi& ui, const Command& command) {
  if (std::holds_alternative<cmd::ExportPng>(command)) ui.export_png = true;
  if (std::holds_alternative<cmd::ExportMp4>(command)) ui.export_mp4 = true;
  if (std::holds_alternative<cmd::CancelMp4>(command)) ui.cancel_mp4 = true;
}

void video_overlay_hook(const AppState& state, OverlaySettings& overlays, ImVec2 image_min, ImVec2 image_max, int video_width_px,
                        int video_height_px, ImVec2 panel_min, ImVec2 panel_max) {
  if (state.view.clip < 0 || video_width_px <= 0) return;
  analysis::VideoToScreen to_screen{image_min.x, image_min.y, (image_max.x - image_min.x) / static_cast<double>(video_width_px)};
  // A single click (not a drag) on the video places the anchor there. A double-click fits
  // the view: the anchor its first click moved goes back.
  ImGuiIO& io = ImGui::GetIO();
  if (ImGui::IsItemHovered() && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) {
    overlays.anchor_set = overlays.anchor_before_click.set;
    overlays.anchor_x_px = overlays.anchor_before_click.x_px;
    overlays.anchor_y_px = overlays.anchor_before_click.y_px;
  } else if (ImGui::IsItemHovered() && ImGui::IsMouseReleased(ImGuiMouseButton_Left) && io.MouseClickedLastCount[ImGuiMouseButton_Left] == 1 &&
             io.MouseDragMaxDistanceSqr[ImGuiMouseButton_Left] < 16.0f) {
    analysis::Point at = to_screen.invert({io.MousePos.x, io.MousePos.y});
    overlays.anchor_before_click = {overlays.anchor_set, overlays.anchor_x_px, overlays.anchor_y_px};
    overlays.anchor_set = true;
    overlays.anchor_x_px = at.x;
    overlays.anchor_y_px = at.y;
  }
  std::vector<const PredictionSet*> sources;
  for (const Source& source : state.sources) sources.push_back(&source.predictions);
  std::vector<const ClipEvaluation*> evaluations;
  for (const ClipEvaluation& evaluation : state.view.evaluations) evaluations.push_back(&evaluation);
  OverlayScene scene = make_overlay_scene(state.dataset, state.view.clip, sources, evaluations, &state.view.gt_only, state.grid_frame,
                                          state.grid_length(), state.profile.fps, &state.view.motions);
  scene.video_width_px = video_width_px;
  scene.video_height_px = video_height_px;
  // Arrows and labels stay on the picture: clipped to the frame as shown (inside the panel).
  ImVec2 clip_min(std::max(image_min.x, panel_min.x), std::max(image_min.y, panel_min.y));
  ImVec2 clip_max(std::min(image_max.x, panel_max.x), std::min(image_max.y, panel_max.y));
  draw_overlays(ImGui::GetWindowDrawList(), scene, overlays, to_screen, clip_min, clip_max);
}

void run_analysis_exports(AppState& state, AnalysisUi& ui, const OverlaySettings& overlays, int framebuffer_width, int framebuffer_height,
                          TaskRegistry& tasks) {
  if (!ui.export_png && !ui.export_mp4) return;
  std::string error;
  std::string clip_stem = state.view.clip >= 0 ? file_stem(state.dataset.clips[static_cast<size_t>(state.view.clip)].key) : "viewer";
  if (ui.export_png) {
    ui.export_png = false;
    std::vector<uint8_t> pixels(static_cast<size_t>(framebuffer_width) * framebuffer_height * 4);
    render::read_framebuffer(framebuffer_width, framebuffer_height, pixels.data());
    char frame[16];
    std::snprintf(frame, sizeof frame, "_F%02d", state.grid_frame);
    std::filesystem::path out = std::filesystem::path(ui.export_dir) / (clip_stem + frame + ".png");
    tasks.start(TaskKind::Export, "export " + out.filename().string(),
                [out, pixels = std::move(pixels), framebuffer_width, framebuffer_height](TaskContext&) -> Command {
                  cmd::FileWritten written;
                  written.path = out.string();
                  if (ensure_dir(out.parent_path().string(), written.error)) {
                    write_file_atomically(out, encode_png(pixels.data(), framebuffer_width, framebuffer_height), written.error);
                  }
                  return written;
                });
  }
  if (ui.export_mp4 && ui.mp4_job) {
    ui.export_mp4 = false;
    notify(state, NoticeCode::ExportFailed, Severity::Warning, "", "an MP4 export is still running (Export > Cancel the MP4 export)");
  }
  if (ui.export_mp4 && state.view.clip >= 0 && !state.dataset.clips[static_cast<size_t>(state.view.clip)].filled) {
    ui.export_mp4 = false;
    notify(state, NoticeCode::ExportFailed, Severity::Warning, "", "this clip's log is still being read: export it in a moment");
  }
  if (ui.export_mp4) {
    ui.export_mp4 = false;
    if (!ensure_dir(ui.export_dir, error)) {  // one mkdir, once per export
      notify(state, NoticeCode::ExportFailed, Severity::Error, ui.export_dir, error);
      return;
    }
    ExportClip request;
    request.dataset = &state.dataset;
    request.clip_index = state.view.clip;
    for (const Source& source : state.sources) request.sources.push_back(&source.predictions);
    request.profile = state.profile;
    request.settings = overlays;
    std::filesystem::path out = std::filesystem::path(ui.export_dir) / (clip_stem + ".mp4");
    ui.mp4_job = std::make_unique<Mp4ExportJob>();
    ui.mp4_job->start(request, out, Mp4ExportOptions{});  // copies the clip: edits meanwhile are safe
    ui.mp4_started = std::chrono::steady_clock::now();
    ui.mp4_ui_frames = 0;
    ui.mp4_shown_progress = -1;
    ui.mp4_slowest_step_ms = 0.0;
    notify(state, NoticeCode::Exported, Severity::Info, out.string(), "exporting " + out.string() + " ...");
  }
}

void step_analysis_exports(AppState& state, AnalysisUi& ui) {
  if (!ui.mp4_job) return;
  if (ui.cancel_mp4) {
    ui.cancel_mp4 = false;
    ui.mp4_job->cancel();
  }
  // A few ms of overlay drawing per UI frame (one 1728x1080 frame under software GL).
  auto step_started = std::chrono::steady_clock::now();
  bool going = ui.mp4_job->step(0.008);
  ui.mp4_slowest_step_ms =
      std::max(ui.mp4_slowest_step_ms, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - step_started).count());
  ++ui.mp4_ui_frames;
  if (going) {
    int total = ui.mp4_job->frames_total();
    int encoded = ui.mp4_job->frames_encoded();
    ui.mp4_shown_progress = encoded;  // the status bar lists it with the tasks
    (void)total;
    return;
  }
  std::string error;
  int frames = ui.mp4_job->result(error);
  std::string outcome = frames >= 0 ? "exported " + ui.mp4_job->output().string() + " (" + std::to_string(frames) + " frames)" : error;
  if (frames >= 0) notify(state, NoticeCode::Exported, Severity::Info, ui.mp4_job->output().string(), outcome);
  else notify(state, NoticeCode::ExportFailed, Severity::Error, ui.mp4_job->output().string(), outcome);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - ui.mp4_started).count();
  std::fprintf(stderr, "idmscope: %s in %.2f s; the UI drew %d frames meanwhile, the export's part of one at most %.1f ms\n",
               outcome.c_str(), seconds, ui.mp4_ui_frames, ui.mp4_slowest_step_ms);
  ui.mp4_job.reset();
}

bool analysis_export_busy(const AnalysisUi& ui) { return ui.mp4_job != nullptr; }


}  // namespace idm::gui
