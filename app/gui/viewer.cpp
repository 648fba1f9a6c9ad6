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
#include "panels.hpp"
#include "texture.hpp"

namespace idm::gui {

namespace {

constexpr size_t kCacheBytes = 1536ull << 20;  // ~8 clips of 1728x1080 RGBA grid frames

// Loads the dataset and the prediction sources; problems go to stderr, nothing stops.
void load_everything(const ViewerOptions& options, AppState& state) {
  std::string error;
  if (!load_profile(options.profile, state.profile, error)) {
    std::fprintf(stderr, "idmscope: %s (using the reference profile)\n", error.c_str());
    load_profile("reference", state.profile, error);
  }
  if (options.dataset.empty()) return;
  state.dataset_path = options.dataset;
  if (!load_dataset(options.dataset, DatasetLoadOptions{}, state.dataset, error)) {
    std::fprintf(stderr, "idmscope: %s\n", error.c_str());
    return;
  }
  for (const std::string& path : options.predictions) {
    Source source;
    if (!load_prediction_source(path, state.dataset, source.predictions, error)) {
      std::fprintf(stderr, "idmscope: %s\n", error.c_str());
      continue;
    }
    source.score = score_dataset(state.dataset, source.predictions, state.profile);
    state.sources.push_back(std::move(source));
  }
}

// Global keys (imgui 1.86: IsKeyPressed takes GLFW key codes).
void handle_keys(AppState& state, DecodeService& service) {
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
  if (ImGui::IsKeyPressed(GLFW_KEY_RIGHT_BRACKET)) select_clip(state, service, state.view.clip + 1);
  if (ImGui::IsKeyPressed(GLFW_KEY_LEFT_BRACKET)) select_clip(state, service, state.view.clip - 1);
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
  load_everything(options, state);

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
    render::Texture texture;
    const CachedFrame* uploaded = nullptr;
    BrowserUi browser;
    VideoUi video_ui;
    float browser_width = 560.0f, video_fraction = 0.6f;
    if (!state.dataset.clips.empty()) {
      if (options.clip_key.empty()) select_clip(state, service, 0);
      else select_clip_by_key(state, service, options.clip_key);
      set_grid_frame(state, options.grid_frame);
    }
    int frames_with_target = 0;
    bool native_requested = false;
    double last_time = glfwGetTime();
    while (!glfwWindowShouldClose(window)) {
      glfwPollEvents();
      drain_decode_events(state, service);
      if (options.native_source_frame >= 0 && !native_requested && state.view.video) {
        show_native(state, service, options.native_source_frame);
        native_requested = true;
      }
      double now = glfwGetTime();
      advance_playback(state, now - last_time);
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
      handle_keys(state, service);
      PanelRequests requests;
      const ImGuiViewport* viewport = ImGui::GetMainViewport();
      ImGui::SetNextWindowPos(viewport->WorkPos);
      ImGui::SetNextWindowSize(viewport->WorkSize);
      ImGui::Begin("idmscope", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoBringToFrontOnFocus);
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
