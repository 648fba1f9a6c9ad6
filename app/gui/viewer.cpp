#include "viewer.hpp"

extern "C" {
#include <libavutil/log.h>
}

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <vector>

#include "../png_writer.hpp"
#include "analysis_ui.hpp"
#include "commands.hpp"
#include "editor.hpp"
#include "folder_picker.hpp"
#include "frame_stats.hpp"
#include "infer_panel.hpp"
#include "quit_signals.hpp"
#include "key_input.hpp"
#include "panels.hpp"
#include "recent.hpp"
#include "frame_texture.hpp"
#include "texture.hpp"

namespace idm::gui {

namespace {

constexpr size_t kCacheBytes = 1536ull << 20;  // ~8 clips of 1728x1080 RGBA grid frames

// The command line's dataset and sources; problems go to stderr and the status line.
void load_from_options(const ViewerOptions& options, AppState& state, DecodeService& service) {
  std::string error;
  if (!load_profile(options.profile, state.profile, error)) {
    std::fprintf(stderr, "idmscope: %s (using the reference profile)\n", error.c_str());
    load_profile("reference", state.profile, error);
  }
  if (options.dataset.empty()) return;
  open_dataset(state, service, options.dataset);
  if (state.dataset_path.empty()) std::fprintf(stderr, "idmscope: %s\n", state.status.c_str());
  for (const std::string& path : options.predictions) {
    size_t before = state.sources.size();
    add_source(state, path);
    if (state.sources.size() == before) std::fprintf(stderr, "idmscope: %s\n", state.status.c_str());
  }
}

// Paths dropped on the window (GLFW calls back during glfwPollEvents, on the main thread).
struct DropBox {
  std::vector<std::string> paths;
};

void on_drop(GLFWwindow* window, int count, const char** paths) {
  auto* box = static_cast<DropBox*>(glfwGetWindowUserPointer(window));
  for (int i = 0; i < count; ++i) box->paths.emplace_back(paths[i]);
}

// File menu: open, recent, add/remove predictions.
void draw_menu(AppState& state, DecodeService& service, FolderPicker& dataset_picker, FolderPicker& source_picker, AnalysisUi& analysis,
               OverlaySettings& overlays) {
  if (!ImGui::BeginMenuBar()) return;
  if (ImGui::BeginMenu("File")) {
    if (ImGui::MenuItem("Open dataset...", "Ctrl+O")) dataset_picker.open("Open dataset", FolderPicker::Mode::Folder, state.dataset_path);
    if (ImGui::BeginMenu("Recent datasets")) {
      std::vector<std::string> recent = load_recent_datasets();
      if (recent.empty()) ImGui::TextDisabled("(none yet)");
      for (const std::string& path : recent) {
        if (ImGui::MenuItem(path.c_str())) open_dataset(state, service, path);
      }
      ImGui::EndMenu();
    }
    ImGui::Separator();
    if (ImGui::MenuItem("Add predictions...", nullptr, false, !state.dataset_path.empty())) {
      source_picker.open("Add predictions (results file or per-clip folder)", FolderPicker::Mode::FolderOrJson, state.dataset_path);
    }
    if (ImGui::BeginMenu("Remove predictions", !state.sources.empty())) {
      for (size_t i = 0; i < state.sources.size(); ++i) {
        if (ImGui::MenuItem(state.sources[i].predictions.name.c_str())) {
          remove_source(state, i);
          break;
        }
      }
      ImGui::EndMenu();
    }
    ImGui::EndMenu();
  }
  draw_analysis_menus(state, analysis, overlays);
  ImGui::EndMenuBar();
}

// The status line goes last in the menu bar, so the menus keep their places whatever it says.
void draw_status(const AppState& state) {
  if (state.status.empty() || !ImGui::BeginMenuBar()) return;
  ImGui::TextDisabled("   %s", state.status.c_str());
  ImGui::EndMenuBar();
}

// Global keys, through the keymap (defaults, or keys.json in the XDG config dir).
void handle_keys(AppState& state, DecodeService& service, const BrowserUi& browser, const KeyMap& keys, FolderPicker& dataset_picker) {
  ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput) return;
  if (action_pressed(keys, "next_frame")) set_grid_frame(state, state.grid_frame + 1);
  if (action_pressed(keys, "previous_frame")) set_grid_frame(state, state.grid_frame - 1);
  if (action_pressed(keys, "next_native_frame")) step_native(state, service, +1);
  if (action_pressed(keys, "previous_native_frame")) step_native(state, service, -1);
  if (action_pressed(keys, "play_backwards", false)) jkl(state, 'j');
  if (action_pressed(keys, "pause", false)) jkl(state, 'k');
  if (action_pressed(keys, "play_forwards", false)) jkl(state, 'l');
  if (action_pressed(keys, "first_frame")) set_grid_frame(state, 0);
  if (action_pressed(keys, "last_frame")) set_grid_frame(state, state.grid_length() - 1);
  if (action_pressed(keys, "play_pause", false)) state.playing = !state.playing;
  if (action_pressed(keys, "toggle_native_playback", false)) state.play_native = !state.play_native;
  if (action_pressed(keys, "open_dataset", false)) dataset_picker.open("Open dataset", FolderPicker::Mode::Folder, state.dataset_path);
  // Clips are walked in the browser's order (sorted and filtered).
  int step = 0;
  if (action_pressed(keys, "next_clip")) step = 1;
  if (action_pressed(keys, "previous_clip")) step = -1;
  if (step != 0 && !browser.order.empty()) {
    auto at = std::find(browser.order.begin(), browser.order.end(), state.view.clip);
    long position = at == browser.order.end() ? 0 : (at - browser.order.begin()) + step;
    position = std::clamp<long>(position, 0, static_cast<long>(browser.order.size()) - 1);
    select_clip(state, service, browser.order[static_cast<size_t>(position)]);
  }
  handle_editor_keys(state, keys);  // issue 7: 1-4, Tab, Ctrl+Z/Y/S, Delete, E, A (editor_keys.cpp)
}

// Frames the decode service still owes the view: the UI keeps drawing until they arrive.
bool awaiting_frames(const AppState& state) {
  if (state.view.clip < 0 || !state.view.video_error.empty()) return false;
  if (!state.view.video) return true;
  if (state.view.native_source_frame >= 0 && (!state.view.native || state.view.native->source_frame_index != state.view.native_source_frame)) return true;
  return std::any_of(state.view.grid.begin(), state.view.grid.end(), [](const auto& frame) { return frame == nullptr; });
}

// Play/pause, grid or native-fps playback, speed and loop, next to the frame counter.
void draw_transport(AppState& state) {
  if (ImGui::Button(state.playing ? "Pause" : "Play", ImVec2(56, 0))) state.playing = !state.playing;
  ImGui::SameLine();
  ImGui::Text("F%02d / %d  %s", state.grid_frame, state.grid_length(),
              !state.playing ? "paused" : state.play_direction > 0 ? "playing" : "playing backwards");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(120);
  int mode = state.play_native ? 1 : 0;
  if (ImGui::Combo("##mode", &mode, "5 fps grid\0native fps\0")) state.play_native = mode == 1;
  ImGui::SameLine();
  static const double kSpeeds[] = {0.25, 0.5, 1.0, 2.0, 4.0};
  char current[16];
  std::snprintf(current, sizeof current, "%gx", state.play_speed);
  ImGui::SetNextItemWidth(70);
  if (ImGui::BeginCombo("##speed", current)) {
    for (double speed : kSpeeds) {
      char label[16];
      std::snprintf(label, sizeof label, "%gx", speed);
      if (ImGui::Selectable(label, speed == state.play_speed)) state.play_speed = speed;
    }
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  ImGui::Checkbox("loop", &state.play_loop);
}

void load_font() {
  ImGuiIO& io = ImGui::GetIO();
  for (const char* path : {"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/opentype/inter/Inter-Regular.otf"}) {
    if (std::filesystem::exists(path)) {
      io.Fonts->AddFontFromFileTTF(path, 16.0f);
      return;
    }
  }
  io.Fonts->AddFontDefault();
}

}  // namespace

int run_viewer(const ViewerOptions& options) {
  // FFmpeg logs errors only (x264 prints its settings at info level on every export), set
  // before any decode or export thread can log.
  av_log_set_level(AV_LOG_ERROR);
  AppState state;

  if (!glfwInit()) {
    std::fprintf(stderr, "idmscope: cannot start the window system (no display? run under xvfb-run)\n");
    return 1;
  }
  QuitSignals quit;  // before GL and the decode threads start, so they all leave the signals to it
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  std::string title = "idmscope" + (state.dataset_path.empty() ? std::string() : " - " + state.dataset_path);
  GLFWwindow* window = glfwCreateWindow(options.width, options.height, title.c_str(), nullptr, nullptr);
  if (!window) {
    std::fprintf(stderr, "idmscope: cannot create an OpenGL 3.3 window\n");
    glfwTerminate();
    return 1;
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(1);
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;  // the layout is ours, not a file's
  ImGui::StyleColorsDark();
  load_font();
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 330");

  int status = 0;
  {
    DecodeService service(kCacheBytes);
    DropBox dropped;
    glfwSetWindowUserPointer(window, &dropped);
    glfwSetDropCallback(window, on_drop);
    FolderPicker dataset_picker, source_picker;
    load_from_options(options, state, service);
    KeyMap keys = load_keymap(default_keymap_path());
    for (const std::string& problem : keys.problems) std::fprintf(stderr, "idmscope: %s\n", problem.c_str());
    if (!keys.problems.empty()) state.status = keys.problems.front() + (keys.problems.size() > 1 ? " (and more: see stderr)" : "");
    render::FrameTexture frame_texture;
    const CachedFrame* uploaded = nullptr;
    BrowserUi browser;
    VideoUi video_ui;
    TimelineUi timeline_ui;
    AnalysisUi analysis;
    int first_tab_frames = 0;  // --tab selects a bottom tab on the first frames only
    float browser_width = 560.0f, video_fraction = 0.6f;
    InferUi infer_ui;
    if (!state.dataset.clips.empty()) {
      if (!options.clip_key.empty()) select_clip_by_key(state, service, options.clip_key);
      set_grid_frame(state, options.grid_frame);
    }
    int frames_with_target = 0;
    bool native_requested = false;
    double last_time = glfwGetTime();
    // Idle: wait for input (or a decode event, which posts an empty GLFW event) instead of
    // redrawing; after anything happens, a few more frames let ImGui settle hovers and sizes.
    service.set_event_callback([] { glfwPostEmptyEvent(); });
    FrameStats stats;
    int settle_frames = 3;
    state.playing = options.play;
    const double started_s = glfwGetTime();
    double frame_started_s = started_s;
    while (!glfwWindowShouldClose(window)) {
      if (quit.requested()) glfwSetWindowShouldClose(window, 1);
      bool animating = state.playing || options.screenshot || awaiting_frames(state);
      if (options.quit_after_s > 0 && glfwGetTime() - started_s >= options.quit_after_s) break;
      if (!animating && settle_frames == 0 && (infer_busy(infer_ui) || analysis_export_busy(analysis))) {
        // A model run or an export: refresh its progress ~60 times a second, leaving the CPU to
        // the worker or the encoder.
        // The wait ends 1/60 s after the last frame began, not 1/60 s after it ended: a frame
        // that took 20 ms to draw (software GL) is followed at once, keeping gaps near 17 ms.
        double wait_start = glfwGetTime();
        double timeout_s = frame_started_s + 1.0 / 60.0 - wait_start;
        if (timeout_s > 0.0005) glfwWaitEventsTimeout(timeout_s);
        else glfwPollEvents();
        stats.count_wait(glfwGetTime() - wait_start);
      } else if (!animating && settle_frames == 0) {
        double wait_start = glfwGetTime();
        double timeout_s = std::min(2.0, editor_seconds_until_autosave(state) + 0.01);  // issue 7: autosave is due
        if (options.quit_after_s > 0) timeout_s = std::min(timeout_s, std::max(0.0, started_s + options.quit_after_s - wait_start));
        glfwWaitEventsTimeout(timeout_s);
        double waited_s = glfwGetTime() - wait_start;
        stats.count_wait(waited_s);
        // Input (or a decode event) gets a few frames to settle; a plain timeout needs one.
        settle_frames = waited_s < timeout_s * 0.95 ? 3 : 1;
      } else {
        glfwPollEvents();
        if (settle_frames > 0) --settle_frames;
      }
      frame_started_s = glfwGetTime();
      const double frame_cpu_start_s = thread_cpu_seconds();
      stats.begin();
      for (const std::string& path : dropped.paths) open_path(state, service, path);
      dropped.paths.clear();
      drain_decode_events(state, service);
      editor_sync(state);  // issue 7: follow the clip, autosave
      if (options.native_source_frame >= 0 && !native_requested && state.view.video) {
        show_native(state, service, options.native_source_frame);
        native_requested = true;
      }
      double now = glfwGetTime();
      advance_playback(state, service, now - last_time);
      poll_infer(state, infer_ui, now);
      step_analysis_exports(state, analysis);  // GL work of an MP4 export, outside the ImGui frame
      last_time = now;

      // Upload only when the shown frame changes.
      const CachedFrame* shown = shown_frame(state);
      if (shown && shown != uploaded) {
        if (!frame_texture.upload(*shown)) state.view.video_error = frame_texture.error();
        uploaded = shown;
      }

      ImGui_ImplOpenGL3_NewFrame();
      ImGui_ImplGlfw_NewFrame();
      ImGui::NewFrame();
      handle_keys(state, service, browser, keys, dataset_picker);
      handle_analysis_keys(state, service, browser, analysis, keys);
      handle_infer_keys(state, infer_ui, keys);
      PanelRequests requests;
      const ImGuiViewport* viewport = ImGui::GetMainViewport();
      ImGui::SetNextWindowPos(viewport->WorkPos);
      ImGui::SetNextWindowSize(viewport->WorkSize);
      ImGui::Begin("idmscope", nullptr,
                   ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_MenuBar);
      draw_menu(state, service, dataset_picker, source_picker, analysis, video_ui.overlays);
      ClipChoice run_choice{browser.order, marked_in_order(browser)};
      draw_infer_menu(state, infer_ui, run_choice);
      draw_status(state);
      std::string picked;
      if (dataset_picker.draw(picked)) open_dataset(state, service, picked);
      if (source_picker.draw(picked)) add_source(state, picked);
      ImVec2 size = ImGui::GetContentRegionAvail();
      browser_width = std::clamp(browser_width, 200.0f, size.x - 300.0f);
      ImGui::BeginChild("browser", ImVec2(browser_width, 0), true);
      draw_browser(state, browser, requests);
      ImGui::EndChild();
      ImGui::SameLine(0, 0);
      ImGui::Button("##split_v", ImVec2(6, size.y));  // drag to resize the browser
      if (ImGui::IsItemActive()) browser_width += ImGui::GetIO().MouseDelta.x;
      ImGui::SameLine(0, 0);
      ImGui::BeginChild("right", ImVec2(0, 0), false);
      float right_height = ImGui::GetContentRegionAvail().y;
      video_fraction = std::clamp(video_fraction, 0.2f, 0.85f);
      float editor_width = std::min(520.0f, ImGui::GetContentRegionAvail().x * 0.45f);  // issue 7: editor beside the video
      ImGui::BeginChild("video", ImVec2(-editor_width, right_height * video_fraction), true, ImGuiWindowFlags_NoScrollbar);
      draw_video(state, frame_texture.texture(), video_ui);
      ImGui::EndChild();
      ImGui::SameLine();
      ImGui::BeginChild("editor", ImVec2(0, right_height * video_fraction), true, ImGuiWindowFlags_NoNavInputs);  // Tab is ours
      draw_editor(state);
      ImGui::EndChild();
      ImGui::Button("##split_h", ImVec2(-1, 6));  // drag to resize video vs timeline
      if (ImGui::IsItemActive()) video_fraction += ImGui::GetIO().MouseDelta.y / right_height;
      ImGui::BeginChild("timeline", ImVec2(0, 0), true);
      draw_transport(state);
      ImGui::SameLine();
      ImGui::SetNextItemWidth(90);
      int goto_frame = state.grid_frame;
      if (ImGui::InputInt("go to", &goto_frame, 1, 5, ImGuiInputTextFlags_EnterReturnsTrue)) requests.seek_frame = goto_frame;
      ImGui::SameLine();
      ImGui::TextDisabled("profile %s   wheel: zoom  right-drag: pan", state.profile.name.c_str());
      // Bottom tabs: the timeline, the metrics panel and the plots (issue 6).
      if (ImGui::BeginTabBar("bottom_tabs")) {
        auto tab_flags = [&](const char* name) {
          return first_tab_frames < 2 && options.tab == name ? ImGuiTabItemFlags_SetSelected : ImGuiTabItemFlags_None;
        };
        if (ImGui::BeginTabItem("Timeline", nullptr, tab_flags("timeline"))) {
          draw_timeline(state, timeline_ui, requests);
          ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem("Metrics", nullptr, tab_flags("metrics"))) {
          draw_metrics_panel(state, analysis);
          ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem("Plots", nullptr, tab_flags("plots"))) {
          draw_plots_panel(state, analysis);
          ImGui::EndTabItem();
        }
        ImGui::EndTabBar();
      }
      ++first_tab_frames;
      ImGui::EndChild();
      ImGui::EndChild();
      ImGui::End();
      draw_infer_window(state, infer_ui, run_choice);
      ImGui::Render();

      // Commands are applied at the end of the frame.
      if (requests.select_clip >= 0) select_clip(state, service, requests.select_clip);
      if (requests.seek_frame >= 0) set_grid_frame(state, requests.seek_frame);
      if (requests.native_frame >= 0 && requests.native_frame != state.view.native_source_frame) show_native(state, service, requests.native_frame);
      apply_analysis_requests(state, analysis);
      if (requests.select_gt >= 0) editor_select(state, requests.select_gt);
      if (!requests.run_model_on.empty()) start_infer(state, infer_ui, requests.run_model_on);

      int width = 0, height = 0;
      glfwGetFramebufferSize(window, &width, &height);
      glViewport(0, 0, width, height);
      glClearColor(0.08f, 0.08f, 0.09f, 1.0f);
      glClear(GL_COLOR_BUFFER_BIT);
      ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
      run_analysis_exports(state, analysis, video_ui.overlays, width, height);

      if (options.screenshot) {
        bool native_pending = options.native_source_frame >= 0 && (!native_requested || uploaded != state.view.native.get());
        bool ready = (state.dataset.clips.empty() || !state.view.video_error.empty() || (uploaded != nullptr && !native_pending)) &&
                     !analysis_work_pending(analysis);  // a screenshot shows finished plots
        if (ready && ++frames_with_target >= 3) {  // a few frames so the layout has settled
          std::vector<uint8_t> pixels(static_cast<size_t>(width) * height * 4);
          render::read_framebuffer(width, height, pixels.data());
          if (!cli::write_png_rgba(*options.screenshot, width, height, width * 4, pixels.data())) {
            std::fprintf(stderr, "idmscope: cannot write %s\n", options.screenshot->c_str());
            status = 1;
          }
          if (options.frame_dump) {
            std::vector<uint8_t> frame_pixels;
            frame_texture.read_back(frame_pixels);
            const render::Texture& shown_texture = frame_texture.texture();
            if (shown_texture.empty() ||
                !cli::write_png_rgba(*options.frame_dump, shown_texture.width(), shown_texture.height(), shown_texture.width() * 4, frame_pixels.data())) {
              std::fprintf(stderr, "idmscope: cannot write %s (no frame shown?)\n", options.frame_dump->c_str());
              status = 1;
            }
          }
          glfwSetWindowShouldClose(window, 1);
        }
      }
      stats.end();
      glfwSwapBuffers(window);
      note_frame_cpu(infer_ui, 1e3 * (thread_cpu_seconds() - frame_cpu_start_s));
    }
    service.set_event_callback(nullptr);
    if (options.stats) stats.print(stderr);
    editor_flush_before_leaving(state);  // issue 7: unsaved edits are written before the window goes
  }
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  quit.stop();
  glfwTerminate();
  return status;
}

}  // namespace idm::gui
