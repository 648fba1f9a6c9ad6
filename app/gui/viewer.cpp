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
#include "help_window.hpp"
#include "infer_panel.hpp"
#include "quit_signals.hpp"
#include "key_input.hpp"
#include "layout.hpp"
#include "panels.hpp"
#include "recent.hpp"
#include "rsv_panels.hpp"
#include "io/frame_io_guard.hpp"
#include "state/apply.hpp"
#include "state/dataset_fill.hpp"
#include "state/tasks.hpp"
#include "state/video_source.hpp"
#include "status_bar.hpp"
#include "frame_texture.hpp"
#include "texture.hpp"

namespace idm::gui {

namespace {

constexpr size_t kCacheBytes = 1536ull << 20;  // ~8 clips of 1728x1080 RGBA grid frames

// Applies commands (and the results of the tasks they start) until nothing is running: the
// command line's dataset, sources and clip go through the same path as the menus, before the
// first frame.
// A dataset's background fill is not waited for (the first frame lists the clips while their
// logs are read), unless sources were asked for: they are scored against every clip.
void settle(ViewerContext& context, CommandQueue commands, bool wait_for_fill = true) {
  CommandQueue window_commands;
  auto busy = [&] { return wait_for_fill ? context.tasks.any_running() : context.tasks.any_running_except(TaskKind::FillDataset); };
  do {
    apply_frame(context, commands, window_commands);
    if (wait_for_fill) context.tasks.wait_idle();
    else context.tasks.wait_idle_except(TaskKind::FillDataset);
    context.tasks.drain(commands);
  } while (!commands.empty() || busy() || (wait_for_fill && !dataset_settled(context.state)));
  apply_frame(context, commands, window_commands);
}

void load_from_options(const ViewerOptions& options, ViewerContext& context) {
  AppState& state = context.state;
  std::string error;
  if (!load_profile(options.profile, state.profile, error)) {
    std::fprintf(stderr, "idmscope: %s (using the reference profile)\n", error.c_str());
    load_profile("reference", state.profile, error);
  }
  if (options.dataset.empty()) return;
  settle(context, {cmd::OpenDataset{options.dataset}}, !options.predictions.empty());
  // One at a time, so the sources keep the command line's order.
  for (const std::string& path : options.predictions) {
    if (!state.dataset_path.empty()) settle(context, {cmd::AddSource{path}});
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
void draw_menu(const AppState& state, FolderPicker& dataset_picker, FolderPicker& source_picker, AnalysisUi& analysis,
               OverlaySettings& overlays, CommandQueue& commands, const KeyMap& keys) {
  if (!ImGui::BeginMenuBar()) return;
  if (ImGui::BeginMenu("File")) {
    if (ImGui::MenuItem("Open dataset...", shortcut_text(keys, "open_dataset").c_str())) {
      dataset_picker.open("Open dataset", FolderPicker::Mode::Folder, state.dataset_path);
    }
    if (ImGui::BeginMenu("Recent datasets")) {
      if (state.recent_datasets.empty()) ImGui::TextDisabled("(none yet)");
      for (const std::string& path : state.recent_datasets) {
        if (ImGui::MenuItem(path.c_str())) commands.push_back(cmd::OpenDataset{path});
      }
      ImGui::EndMenu();
    }
    ImGui::Separator();
    if (ImGui::MenuItem("Add predictions...", nullptr, false, !state.dataset_path.empty())) {
      source_picker.open("Add predictions (results file or per-clip folder)", FolderPicker::Mode::FolderOrJson, state.dataset_path);
    }
    if (ImGui::BeginMenu("Remove predictions", !state.sources.empty())) {
      for (size_t i = 0; i < state.sources.size(); ++i) {
        if (ImGui::MenuItem(state.sources[i].predictions.name.c_str())) commands.push_back(cmd::RemoveSource{i});
      }
      ImGui::EndMenu();
    }
    ImGui::EndMenu();
  }
  draw_analysis_menus(state, analysis, overlays, commands);
  ImGui::EndMenuBar();
}

// Window and Help, after the Model menu (the menus before it keep their places). Each item
// names its key from the key map, so the menus teach the shortcuts.
void draw_window_menus(const KeyMap& keys, LayoutSettings& layout, HelpUi& help, OverlaySettings& overlays) {
  if (!ImGui::BeginMenuBar()) return;
  if (ImGui::BeginMenu("Window")) {
    ImGui::MenuItem("Clip browser", shortcut_text(keys, "toggle_browser").c_str(), &layout.browser_open);
    ImGui::MenuItem("Editor", shortcut_text(keys, "toggle_editor").c_str(), &layout.editor_open);
    ImGui::MenuItem("Full video", shortcut_text(keys, "full_video").c_str(), &layout.full_video);
    ImGui::MenuItem("Whole arrow chain", shortcut_text(keys, "toggle_arrow_chain").c_str(), &overlays.whole_chain);
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Help")) {
    ImGui::MenuItem("Keys and colours", shortcut_text(keys, "help").c_str(), &help.open);
    ImGui::EndMenu();
  }
  ImGui::EndMenuBar();
}

// Global keys, through the keymap (defaults, or keys.json in the XDG config dir).
void handle_keys(const AppState& state, const BrowserUi& browser, const KeyMap& keys, FolderPicker& dataset_picker, CommandQueue& commands) {
  if (!keyboard_free()) return;
  if (action_pressed(keys, "next_frame")) commands.push_back(cmd::StepGrid{+1});
  if (action_pressed(keys, "previous_frame")) commands.push_back(cmd::StepGrid{-1});
  if (action_pressed(keys, "next_native_frame")) commands.push_back(cmd::StepNative{+1});
  if (action_pressed(keys, "previous_native_frame")) commands.push_back(cmd::StepNative{-1});
  if (action_pressed(keys, "play_backwards", false)) commands.push_back(cmd::Jkl{'j'});
  if (action_pressed(keys, "pause", false)) commands.push_back(cmd::Jkl{'k'});
  if (action_pressed(keys, "play_forwards", false)) commands.push_back(cmd::Jkl{'l'});
  if (action_pressed(keys, "first_frame")) commands.push_back(cmd::SeekGrid{0});
  if (action_pressed(keys, "last_frame")) commands.push_back(cmd::SeekLast{});
  if (action_pressed(keys, "play_pause", false)) commands.push_back(cmd::TogglePlay{});
  if (action_pressed(keys, "toggle_native_playback", false)) commands.push_back(cmd::SetPlayNative{!state.play_native});
  if (action_pressed(keys, "open_dataset", false)) dataset_picker.open("Open dataset", FolderPicker::Mode::Folder, state.dataset_path);
  // Clips are walked in the browser's order (sorted and filtered).
  if (action_pressed(keys, "next_clip")) commands.push_back(cmd::StepClip{+1, browser.order});
  if (action_pressed(keys, "previous_clip")) commands.push_back(cmd::StepClip{-1, browser.order});
  handle_editor_keys(state, keys, commands);  // 1-4, Tab, Ctrl+Z/Y/S, Delete, E, A (editor_keys.cpp)
}

// A collapsed side panel: a thin strip that opens it again (click, or its key).
void draw_collapsed_strip(const char* id, const char* what, const KeyMap& keys, const char* action, bool& open) {
  ImGui::PushID(id);
  std::string key = keys.chords(action).empty() ? std::string() : keys.chords(action).front().text();
  if (ImGui::Button(">##open", ImVec2(kCollapsedStripWidth, ImGui::GetContentRegionAvail().y))) open = true;
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("show the %s%s%s", what, key.empty() ? "" : " - ", key.c_str());
  ImGui::PopID();
}

// Layout keys: collapse or show the side panels, full-video mode. UI-only state.
void handle_layout_keys(const KeyMap& keys, LayoutSettings& layout, OverlaySettings& overlays) {
  if (!keyboard_free()) return;
  if (action_pressed(keys, "toggle_browser", false)) layout.browser_open = !layout.browser_open;
  if (action_pressed(keys, "toggle_editor", false)) layout.editor_open = !layout.editor_open;
  if (action_pressed(keys, "full_video", false)) layout.full_video = !layout.full_video;
  if (action_pressed(keys, "toggle_arrow_chain", false)) overlays.whole_chain = !overlays.whole_chain;
}

// Frames the decode service still owes the view: the UI keeps drawing until they arrive.
bool awaiting_frames(const AppState& state) {
  if (state.view.clip < 0 || !state.view.video_error.empty()) return false;
  if (!state.view.video) return true;
  if (state.view.native_source_frame >= 0 && (!state.view.native || state.view.native->source_frame_index != state.view.native_source_frame)) return true;
  return std::any_of(state.view.grid.begin(), state.view.grid.end(), [](const auto& frame) { return frame == nullptr; });
}

// Play/pause, grid or native-fps playback, speed and loop, next to the frame counter.
void draw_transport(const AppState& state, CommandQueue& commands) {
  if (ImGui::Button(state.playing ? "Pause" : "Play", ImVec2(56, 0))) commands.push_back(cmd::TogglePlay{});
  ImGui::SameLine();
  ImGui::Text("F%02d / %d  %s", state.grid_frame, state.grid_length(),
              !state.playing ? "paused" : state.play_direction > 0 ? "playing" : "playing backwards");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(120);
  int mode = state.play_native ? 1 : 0;
  if (ImGui::Combo("##mode", &mode, "5 fps grid\0native fps\0")) commands.push_back(cmd::SetPlayNative{mode == 1});
  ImGui::SameLine();
  static const double kSpeeds[] = {0.25, 0.5, 1.0, 2.0, 4.0};
  char current[16];
  std::snprintf(current, sizeof current, "%gx", state.play_speed);
  ImGui::SetNextItemWidth(70);
  if (ImGui::BeginCombo("##speed", current)) {
    for (double speed : kSpeeds) {
      char label[16];
      std::snprintf(label, sizeof label, "%gx", speed);
      if (ImGui::Selectable(label, speed == state.play_speed)) commands.push_back(cmd::SetPlaySpeed{speed});
    }
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  bool loop = state.play_loop;
  if (ImGui::Checkbox("loop", &loop)) commands.push_back(cmd::SetLoop{loop});
}

// What the panels asked for through PanelRequests, as commands.
void push_requests(const PanelRequests& requests, CommandQueue& commands) {
  if (requests.select_clip >= 0) commands.push_back(cmd::SelectClip{requests.select_clip});
  if (requests.seek_frame >= 0) commands.push_back(cmd::SeekGrid{requests.seek_frame});
  if (requests.native_frame >= 0) commands.push_back(cmd::ShowNative{requests.native_frame});
  if (requests.select_gt >= 0) commands.push_back(cmd::EditorSelect{requests.select_gt, false});
  if (!requests.run_model_on.empty()) commands.push_back(cmd::RunModel{requests.run_model_on});
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
    DecodeServiceSource video(service);
    TaskRegistry tasks([] { glfwPostEmptyEvent(); });  // a finished task wakes the UI
    ViewerContext context{state, video, tasks};
    DropBox dropped;
    glfwSetWindowUserPointer(window, &dropped);
    glfwSetDropCallback(window, on_drop);
    FolderPicker dataset_picker, source_picker;
    state.recent_datasets = load_recent_datasets();
    load_from_options(options, context);
    KeyMap keys = load_keymap(default_keymap_path());
    for (const std::string& problem : keys.problems) notify(state, NoticeCode::KeymapProblem, Severity::Warning, "keys.json", problem);
    render::FrameTexture frame_texture;
    const CachedFrame* uploaded = nullptr;
    BrowserUi browser;
    VideoUi video_ui;
    TimelineUi timeline_ui;
    AnalysisUi analysis;
    list_profiles(analysis);
    NotificationUi notification_ui;
    int first_tab_frames = 0;  // --tab selects a bottom tab on the first frames only
    std::string layout_warning;
    LayoutSettings layout = load_layout(layout_file_path(), layout_warning);
    if (!layout_warning.empty()) notify(state, NoticeCode::LayoutProblem, Severity::Warning, layout_file_path().string(), layout_warning);
    HelpUi help;
    float frame_area_width = 0;  // the width of the area above the timeline, for the layout report
    std::string bottom_tab = "timeline";  // the bottom tab drawn last frame: Metrics and Plots get more room
    InferUi infer_ui;
    if (!state.dataset.clips.empty()) {
      CommandQueue start;
      if (!options.clip_key.empty()) start.push_back(cmd::SelectClipByKey{options.clip_key});
      start.push_back(cmd::SeekGrid{options.grid_frame});
      settle(context, std::move(start), false);
    }
    RsvUi rsv_ui;  // the RSV mode's window state (rsv_view.cpp)
    rsv_ui.tab = options.tab;
    if (state.rsv.active) {  // an RSV release: --clip names a trajectory or pair, --frame a native frame
      CommandQueue start;
      if (!options.clip_key.empty()) start.push_back(cmd::RsvSelectItem{options.clip_key});
      start.push_back(cmd::RsvSeek{options.grid_frame});
      if (options.play) start.push_back(cmd::RsvTogglePlay{});
      settle(context, std::move(start));
    }
    int frames_with_target = 0;
    bool native_requested = false;
    double last_time = glfwGetTime();
    // Idle: wait for input (or a decode event, which posts an empty GLFW event) instead of
    // redrawing; after anything happens, a few more frames let ImGui settle hovers and sizes.
    service.set_event_callback([] { glfwPostEmptyEvent(); });
    FrameStats stats;
    bool stats_first_frame = true;
    int settle_frames = 3;
    state.playing = options.play;
    const double started_s = glfwGetTime();
    double frame_started_s = started_s;
    CommandQueue commands;         // this frame's, applied once after the UI is drawn
    CommandQueue window_commands;  // the ones only the window can carry out (GL, the model run)
    while (!glfwWindowShouldClose(window)) {
      if (quit.requested()) glfwSetWindowShouldClose(window, 1);
      bool animating = state.playing || state.rsv.playing || options.screenshot || awaiting_frames(state);
      if (options.quit_after_s > 0 && glfwGetTime() - started_s >= options.quit_after_s) break;
      if (!animating && settle_frames == 0 && (infer_busy(infer_ui) || analysis_export_busy(analysis) || tasks.any_running())) {
        // A model run, an export or a task: refresh its progress ~60 times a second, leaving
        // the CPU to the worker, the encoder or the task.
        // The wait ends 1/60 s after the last frame began, not 1/60 s after it ended: a frame
        // that took 20 ms to draw (software GL) is followed at once, keeping gaps near 17 ms.
        double wait_start = glfwGetTime();
        double timeout_s = frame_started_s + 1.0 / 60.0 - wait_start;
        if (timeout_s > 0.0005) glfwWaitEventsTimeout(timeout_s);
        else glfwPollEvents();
        stats.count_wait(glfwGetTime() - wait_start);
      } else if (!animating && settle_frames == 0) {
        double wait_start = glfwGetTime();
        double timeout_s = std::min(2.0, editor_seconds_until_autosave(state) + 0.01);  // autosave is due
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
      std::optional<FrameIoScope> no_file_io(std::in_place);  // a debug check: files are for tasks
      for (const std::string& path : dropped.paths) commands.push_back(cmd::OpenPath{path});
      dropped.paths.clear();
      if (options.native_source_frame >= 0 && !native_requested && state.view.video) {
        commands.push_back(cmd::ShowNative{options.native_source_frame});
        native_requested = true;
      }
      double now = glfwGetTime();
      step_analysis_exports(state, analysis);  // GL work of an MP4 export, outside the ImGui frame

      // Upload only when the shown frame changes.
      const CachedFrame* shown = shown_frame(state);
      if (shown && shown != uploaded) {
        if (!frame_texture.upload(*shown)) state.view.video_error = frame_texture.error();
        uploaded = shown;
      }

      ImGui_ImplOpenGL3_NewFrame();
      ImGui_ImplGlfw_NewFrame();
      ImGui::NewFrame();
      if (state.rsv.active) {
        handle_rsv_keys(state, rsv_ui, keys, commands);
        if (!ImGui::GetIO().WantTextInput && action_pressed(keys, "open_dataset", false)) {
          dataset_picker.open("Open dataset", FolderPicker::Mode::Folder, state.rsv.path);
        }
      } else {
        handle_keys(state, browser, keys, dataset_picker, commands);
        handle_analysis_keys(state, browser, keys, commands);
        handle_infer_keys(state, infer_ui, keys);
        handle_layout_keys(keys, layout, video_ui.overlays);
      }
      handle_help_keys(keys, help);
      PanelRequests requests;
      const ImGuiViewport* viewport = ImGui::GetMainViewport();
      ImGui::SetNextWindowPos(viewport->WorkPos);
      ImGui::SetNextWindowSize(viewport->WorkSize);
      ImGui::Begin("idmscope", nullptr,
                   ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_MenuBar);
      draw_menu(state, dataset_picker, source_picker, analysis, video_ui.overlays, commands, keys);
      ClipChoice run_choice{browser.order, marked_in_order(browser)};
      draw_infer_menu(state, infer_ui, run_choice);
      draw_window_menus(keys, layout, help, video_ui.overlays);
      draw_status_bar(state, tasks.snapshot(), infer_ui, analysis, notification_ui, commands);
      std::string picked;
      if (dataset_picker.draw(picked)) commands.push_back(cmd::OpenDataset{picked});
      if (source_picker.draw(picked)) commands.push_back(cmd::AddSource{picked});
      if (state.rsv.active) draw_rsv_main(state, rsv_ui, notification_ui, commands);  // the RSV mode's window (rsv_view.cpp)
      else {
      ImVec2 size = ImGui::GetContentRegionAvail();
      layout.wide_bottom = bottom_tab != "timeline";
      LayoutRects rects = compute_layout(layout, size.x, size.y, timeline_height(state) + 2 * ImGui::GetFrameHeightWithSpacing() + 16);
      if (!layout.full_video) {
        if (layout.browser_open) {
          ImGui::BeginChild("browser", ImVec2(rects.browser_width, 0), true);
          draw_browser(state, browser, requests);
          ImGui::EndChild();
        } else {
          draw_collapsed_strip("browser_strip", "clip browser", keys, "toggle_browser", layout.browser_open);
        }
        ImGui::SameLine(0, 0);
        ImGui::Button("##split_browser", ImVec2(kSplitterWidth, size.y));  // drag to resize the browser
        if (ImGui::IsItemActive() && layout.browser_open) layout.browser_width = rects.browser_width + ImGui::GetIO().MouseDelta.x;
        ImGui::SameLine(0, 0);
      }
      ImGui::BeginChild("middle", ImVec2(rects.middle_width, 0), false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
      ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
      ImGui::BeginChild("video", ImVec2(0, rects.video_height), false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
      draw_video(state, frame_texture.texture(), video_ui);
      ImGui::EndChild();
      ImGui::PopStyleVar();
      // The bottom: play controls and the tab bar stay put; only a tab's body scrolls.
      ImGui::BeginChild("bottom", ImVec2(0, 0), true, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
      draw_transport(state, commands);
      ImGui::SameLine();
      ImGui::SetNextItemWidth(90);
      int goto_frame = state.grid_frame;
      if (ImGui::InputInt("go to", &goto_frame, 1, 5, ImGuiInputTextFlags_EnterReturnsTrue)) requests.seek_frame = goto_frame;
      ImGui::SameLine();
      ImGui::TextDisabled("profile %s", state.profile.name.c_str());
      // Bottom tabs: the timeline, the metrics panel, the plots and the notification log.
      if (!layout.full_video && ImGui::BeginTabBar("bottom_tabs")) {
        auto tab_flags = [&](const char* name) {
          return first_tab_frames < 2 && options.tab == name ? ImGuiTabItemFlags_SetSelected : ImGuiTabItemFlags_None;
        };
        auto tab_body = [&](const char* name) {
          bottom_tab = name;
          ImGui::BeginChild(name, ImVec2(0, 0), false);
        };
        if (ImGui::BeginTabItem("Timeline", nullptr, tab_flags("timeline"))) {
          tab_body("timeline");
          draw_timeline(state, timeline_ui, requests);
          if (state.view.clip >= 0) draw_legend_strip(keys);
          ImGui::EndChild();
          ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem("Metrics", nullptr, tab_flags("metrics"))) {
          tab_body("metrics");
          draw_metrics_panel(state, analysis, commands);
          ImGui::EndChild();
          ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem("Plots", nullptr, tab_flags("plots"))) {
          tab_body("plots");
          draw_plots_panel(state, analysis, commands);
          ImGui::EndChild();
          ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem("Log", nullptr, tab_flags("log"))) {
          tab_body("log");
          draw_notification_log(state, notification_ui);
          ImGui::EndChild();
          ImGui::EndTabItem();
        }
        ImGui::EndTabBar();
      }
      ++first_tab_frames;
      ImGui::EndChild();
      ImGui::EndChild();
      if (!layout.full_video) {
        ImGui::SameLine(0, 0);
        ImGui::Button("##split_editor", ImVec2(kSplitterWidth, size.y));  // drag to resize the editor
        if (ImGui::IsItemActive() && layout.editor_open) layout.editor_width = rects.editor_width - ImGui::GetIO().MouseDelta.x;
        ImGui::SameLine(0, 0);
        if (layout.editor_open) {
          ImGui::BeginChild("editor", ImVec2(0, 0), true, ImGuiWindowFlags_NoNavInputs);  // Tab is ours
          draw_editor(state, commands);
          ImGui::EndChild();
        } else {
          draw_collapsed_strip("editor_strip", "editor", keys, "toggle_editor", layout.editor_open);
        }
      }
      frame_area_width = rects.middle_width;
      }  // IDM mode
      ImGui::End();
      draw_infer_window(state, infer_ui, run_choice);
      draw_help_window(keys, help);
      ImGui::Render();

      // The one point where state changes: the frame's commands, then task results and decode
      // events, then the derived values.
      push_requests(requests, commands);
      commands.push_back(cmd::AdvancePlayback{now - last_time});
      if (state.rsv.playing) commands.push_back(cmd::RsvAdvance{now - last_time});
      last_time = now;
      if (apply_frame(context, commands, window_commands) > 0) settle_frames = std::max(settle_frames, 2);  // show what changed
      for (const Command& command : window_commands) {
        apply_analysis_window_command(analysis, command);
        if (const auto* run = std::get_if<cmd::RunModel>(&command)) start_infer(state, infer_ui, run->clips);
      }
      window_commands.clear();
      poll_infer(state, infer_ui, now);

      int width = 0, height = 0;
      glfwGetFramebufferSize(window, &width, &height);
      glViewport(0, 0, width, height);
      glClearColor(0.08f, 0.08f, 0.09f, 1.0f);
      glClear(GL_COLOR_BUFFER_BIT);
      ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
      run_analysis_exports(state, analysis, video_ui.overlays, width, height, tasks);
      no_file_io.reset();

      if (options.screenshot) {
        // Written after the frame (the window then closes): a test and demo feature.
        bool native_pending = options.native_source_frame >= 0 && (!native_requested || uploaded != state.view.native.get());
        bool ready = (state.dataset.clips.empty() || !state.view.video_error.empty() || (uploaded != nullptr && !native_pending)) &&
                     !tasks.any_running() &&  // a screenshot shows finished plots and scores
                     (state.sources.empty() || state.metrics.current);
        if (ready && ++frames_with_target >= 3) {  // a few frames so the layout has settled
          // Where the frame was drawn, for layout tests and the README's figures.
          float drawn_width = video_ui.drawn_max_x - video_ui.drawn_min_x, drawn_height = video_ui.drawn_max_y - video_ui.drawn_min_y;
          std::printf("layout: frame drawn %.0fx%.0f at %.0f,%.0f in a %dx%d window: %.1f%% of the window's width, %.1f%% of the area above the timeline (%.0f px)\n",
                      drawn_width, drawn_height, video_ui.drawn_min_x, video_ui.drawn_min_y, width, height, 100.0 * drawn_width / std::max(width, 1),
                      100.0 * drawn_width / std::max(frame_area_width, 1.0f), frame_area_width);
          std::fflush(stdout);
          std::vector<uint8_t> pixels(static_cast<size_t>(width) * height * 4);
          render::read_framebuffer(width, height, pixels.data());
          if (!cli::write_png_rgba(*options.screenshot, width, height, width * 4, pixels.data())) {
            std::fprintf(stderr, "idmscope: cannot write %s\n", options.screenshot->c_str());
            status = 1;
          }
          if (options.frame_dump && state.rsv.active) {
            if (!rsv_dump_frame(rsv_ui, *options.frame_dump)) status = 1;
          } else if (options.frame_dump) {
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
      if (options.stats && stats_first_frame) print_first_frame_rows(stderr, state, browser.order.size());
      stats_first_frame = false;
      glfwSwapBuffers(window);
      note_frame_cpu(infer_ui, 1e3 * (thread_cpu_seconds() - frame_cpu_start_s));
    }
    service.set_event_callback(nullptr);
    if (options.stats) {
      stats.print(stderr);
      print_fill_timing(stderr, state);
      print_memory(stderr, service.cache().bytes(), service.cache().frames());
    }
    if (options.quit_after_s > 0 || options.screenshot) print_rsv_debug(state, rsv_ui, stdout);  // what the RSV panels drew
    // Saves under way finish and land first; then unsaved edits are written before the window goes.
    // Edits that waited for a save are applied (and saved) too.
    CommandQueue last;
    do {
      tasks.wait_idle();
      tasks.drain(last);
      for (size_t i = 0; i < last.size(); ++i) {
        if (is_editor_command(last[i])) apply_editor_command(context, last[i]);
        if (!state.editor.save_in_flight && !state.deferred_editor.empty()) {
          for (Command& deferred : state.deferred_editor) last.push_back(std::move(deferred));
          state.deferred_editor.clear();
        }
      }
      last.clear();
    } while (state.editor.save_in_flight || tasks.any_running());
    editor_flush_before_leaving(state);
    if (!options.screenshot) {  // a screenshot run leaves the user's layout alone
      std::string layout_error;
      if (!save_layout(layout_file_path(), layout, layout_error)) std::fprintf(stderr, "idmscope: layout not saved: %s\n", layout_error.c_str());
    }
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
