#include "viewer.hpp"

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <vector>

#include "../png_writer.hpp"
#include "commands.hpp"
#include "folder_picker.hpp"
#include "infer_panel.hpp"
#include "panels.hpp"
#include "recent.hpp"
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
void draw_menu(AppState& state, DecodeService& service, FolderPicker& dataset_picker, FolderPicker& source_picker) {
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
  if (!state.status.empty()) ImGui::TextDisabled("   %s", state.status.c_str());
  ImGui::EndMenuBar();
}

// Global keys (imgui 1.86: IsKeyPressed takes GLFW key codes).
void handle_keys(AppState& state, DecodeService& service, const BrowserUi& browser) {
  ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput) return;
  bool shift = io.KeyShift;
  if (ImGui::IsKeyPressed(GLFW_KEY_RIGHT)) {
    if (shift) step_native(state, service, +1);
    else set_grid_frame(state, state.grid_frame + 1);
  }
  if (ImGui::IsKeyPressed(GLFW_KEY_LEFT)) {
    if (shift) step_native(state, service, -1);
    else set_grid_frame(state, state.grid_frame - 1);
  }
  if (ImGui::IsKeyPressed(GLFW_KEY_J, false)) jkl(state, 'j');
  if (ImGui::IsKeyPressed(GLFW_KEY_K, false)) jkl(state, 'k');
  if (ImGui::IsKeyPressed(GLFW_KEY_L, false)) jkl(state, 'l');
  if (ImGui::IsKeyPressed(GLFW_KEY_HOME)) set_grid_frame(state, 0);
  if (ImGui::IsKeyPressed(GLFW_KEY_END)) set_grid_frame(state, state.grid_length() - 1);
  if (ImGui::IsKeyPressed(GLFW_KEY_SPACE, false)) state.playing = !state.playing;
  // [ ] and Up/Down walk the clips in the browser's order (sorted and filtered).
  int step = 0;
  if (ImGui::IsKeyPressed(GLFW_KEY_RIGHT_BRACKET) || ImGui::IsKeyPressed(GLFW_KEY_DOWN)) step = 1;
  if (ImGui::IsKeyPressed(GLFW_KEY_LEFT_BRACKET) || ImGui::IsKeyPressed(GLFW_KEY_UP)) step = -1;
  if (step != 0 && !browser.order.empty()) {
    auto at = std::find(browser.order.begin(), browser.order.end(), state.view.clip);
    long position = at == browser.order.end() ? 0 : (at - browser.order.begin()) + step;
    position = std::clamp<long>(position, 0, static_cast<long>(browser.order.size()) - 1);
    select_clip(state, service, browser.order[static_cast<size_t>(position)]);
  }
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
  AppState state;

  if (!glfwInit()) {
    std::fprintf(stderr, "idmscope: cannot start the window system (no display? run under xvfb-run)\n");
    return 1;
  }
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
    render::Texture texture;
    const CachedFrame* uploaded = nullptr;
    BrowserUi browser;
    VideoUi video_ui;
    float browser_width = 560.0f, video_fraction = 0.6f;
    InferUi infer_ui;
    if (!state.dataset.clips.empty()) {
      if (!options.clip_key.empty()) select_clip_by_key(state, service, options.clip_key);
      set_grid_frame(state, options.grid_frame);
    }
    int frames_with_target = 0;
    bool native_requested = false;
    double last_time = glfwGetTime();
    while (!glfwWindowShouldClose(window)) {
      glfwPollEvents();
      for (const std::string& path : dropped.paths) open_path(state, service, path);
      dropped.paths.clear();
      drain_decode_events(state, service);
      if (options.native_source_frame >= 0 && !native_requested && state.view.video) {
        show_native(state, service, options.native_source_frame);
        native_requested = true;
      }
      double now = glfwGetTime();
      advance_playback(state, now - last_time);
      poll_infer(state, infer_ui, now);
      last_time = now;

      // Upload only when the shown frame changes.
      const CachedFrame* shown = shown_frame(state);
      if (shown && shown != uploaded) {
        texture.upload(shown->rgba.data(), shown->width, shown->height);
        uploaded = shown;
      }

      ImGui_ImplOpenGL3_NewFrame();
      ImGui_ImplGlfw_NewFrame();
      ImGui::NewFrame();
      handle_keys(state, service, browser);
      handle_infer_keys(state, infer_ui);
      PanelRequests requests;
      const ImGuiViewport* viewport = ImGui::GetMainViewport();
      ImGui::SetNextWindowPos(viewport->WorkPos);
      ImGui::SetNextWindowSize(viewport->WorkSize);
      ImGui::Begin("idmscope", nullptr,
                   ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_MenuBar);
      draw_menu(state, service, dataset_picker, source_picker);
      draw_infer_menu(state, infer_ui, browser.order);
      if (ImGui::GetIO().KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_O, false)) {
        dataset_picker.open("Open dataset", FolderPicker::Mode::Folder, state.dataset_path);
      }
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
      ImGui::BeginChild("video", ImVec2(0, right_height * video_fraction), true, ImGuiWindowFlags_NoScrollbar);
      draw_video(state, texture, video_ui);
      ImGui::EndChild();
      ImGui::Button("##split_h", ImVec2(-1, 6));  // drag to resize video vs timeline
      if (ImGui::IsItemActive()) video_fraction += ImGui::GetIO().MouseDelta.y / right_height;
      ImGui::BeginChild("timeline", ImVec2(0, 0), true);
      ImGui::Text("F%02d / %d   %s", state.grid_frame, state.grid_length(),
                  !state.playing ? "paused" : state.play_direction > 0 ? (state.play_speed > 1 ? "playing fast" : "playing") : "playing backwards");
      ImGui::SameLine();
      ImGui::SetNextItemWidth(90);
      int goto_frame = state.grid_frame;
      if (ImGui::InputInt("go to", &goto_frame, 1, 5, ImGuiInputTextFlags_EnterReturnsTrue)) requests.seek_frame = goto_frame;
      ImGui::SameLine();
      ImGui::TextDisabled("profile %s   Space play  J/K/L  Left/Right frame  Shift: native frame  [ ] clip  wheel: zoom",
                          state.profile.name.c_str());
      draw_timeline(state, requests);
      ImGui::EndChild();
      ImGui::EndChild();
      ImGui::End();
      draw_infer_window(state, infer_ui);
      ImGui::Render();

      // Commands are applied at the end of the frame.
      if (requests.select_clip >= 0) select_clip(state, service, requests.select_clip);
      if (requests.seek_frame >= 0) set_grid_frame(state, requests.seek_frame);

      int width = 0, height = 0;
      glfwGetFramebufferSize(window, &width, &height);
      glViewport(0, 0, width, height);
      glClearColor(0.08f, 0.08f, 0.09f, 1.0f);
      glClear(GL_COLOR_BUFFER_BIT);
      ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());

      if (options.screenshot) {
        bool native_pending = options.native_source_frame >= 0 && (!native_requested || uploaded != state.view.native.get());
        bool ready = state.dataset.clips.empty() || !state.view.video_error.empty() || (uploaded != nullptr && !native_pending);
        if (ready && ++frames_with_target >= 3) {  // a few frames so the layout has settled
          std::vector<uint8_t> pixels(static_cast<size_t>(width) * height * 4);
          render::read_framebuffer(width, height, pixels.data());
          if (!cli::write_png_rgba(*options.screenshot, width, height, width * 4, pixels.data())) {
            std::fprintf(stderr, "idmscope: cannot write %s\n", options.screenshot->c_str());
            status = 1;
          }
          glfwSetWindowShouldClose(window, 1);
        }
      }
      glfwSwapBuffers(window);
    }
  }
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return status;
}

}  // namespace idm::gui
