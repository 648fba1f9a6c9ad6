// The overlay half of `idmscope export`: a clip as MP4, or one grid frame as PNG, with the
// viewer's overlays, rendered offscreen through OpenGL (a hidden window: run under xvfb-run
// without a display). app/cli_export.cpp parses the command line and loads the dataset.
extern "C" {
#include <libavutil/log.h>
}

#include <GLFW/glfw3.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "cli_args.hpp"
#include "gui/overlay_export.hpp"
#include "overlay_export_request.hpp"

namespace idm::cli {

namespace {

void hide_overlay(const std::string& name, gui::OverlaySettings& settings) {
  if (name == "gt-arrows") settings.gt_arrows = false;
  else if (name == "source-arrows") settings.source_arrows = false;
  else if (name == "chain") settings.whole_chain = false;
  else if (name == "trail") settings.trail = false;
  else if (name == "highlight") settings.highlight = false;
  else if (name == "scroll") settings.scroll_gauge = false;
  else if (name == "keycast") settings.keycast = false;
}

// A hidden window gives the OpenGL 3.3 context; rendering goes to an offscreen target.
class HiddenGlContext {
 public:
  bool start(std::string& error) {
    if (!glfwInit()) {
      error = "cannot start the window system for OpenGL (no display? run under xvfb-run -a)";
      return false;
    }
    initialised_ = true;
    glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    window_ = glfwCreateWindow(64, 64, "idmscope export", nullptr, nullptr);
    if (!window_) {
      error = "cannot create an OpenGL 3.3 context";
      return false;
    }
    glfwMakeContextCurrent(window_);
    return true;
  }
  ~HiddenGlContext() {
    if (window_) glfwDestroyWindow(window_);
    if (initialised_) glfwTerminate();
  }

 private:
  bool initialised_ = false;
  GLFWwindow* window_ = nullptr;
};

int fail(const std::string& message) {
  std::fprintf(stderr, "idmscope export: %s\n", message.c_str());
  return 1;
}

}  // namespace

int run_overlay_export(const OverlayExportRequest& request) {
  av_log_set_level(AV_LOG_ERROR);  // before the export thread starts: x264's settings stay off stderr
  gui::ExportClip clip_request;
  clip_request.dataset = request.dataset;
  clip_request.clip_index = request.clip_index;
  clip_request.sources = request.sources;
  clip_request.profile = request.profile;
  double anchor_x_px = 0, anchor_y_px = 0;
  check_overlay_options(request, anchor_x_px, anchor_y_px);
  clip_request.settings.whole_chain = true;  // the CLI export shows every overlay unless --hide names it
  if (request.hide) {
    for (const std::string& name : hidden_overlays(*request.hide)) hide_overlay(name, clip_request.settings);
  }
  clip_request.settings.anchor_follows_frame = request.anchor_follows_frame;
  if (request.anchor) {
    clip_request.settings.anchor_x_px = anchor_x_px;
    clip_request.settings.anchor_y_px = anchor_y_px;
    clip_request.settings.anchor_set = true;
  }

  // Checked before OpenGL starts, so a wrong frame number needs no display to be reported.
  const DatasetClip& clip = request.dataset->clips[static_cast<size_t>(request.clip_index)];
  if (request.png_out && clip.loaded && request.frame >= clip_grid_frames(clip)) {
    return fail("--frame " + std::to_string(request.frame) + " is outside the grid of " + clip.key + " (0.." +
                std::to_string(clip_grid_frames(clip) - 1) + ")");
  }
  std::filesystem::path target = request.mp4_out ? *request.mp4_out : *request.png_out;
  std::filesystem::path folder = target.parent_path().empty() ? std::filesystem::path(".") : target.parent_path();
  std::error_code code;
  if (!std::filesystem::is_directory(folder, code)) return fail("cannot write " + target.string() + ": " + folder.string() + " is not a folder");
  std::string error;
  HiddenGlContext gl;
  if (!gl.start(error)) {
    std::fprintf(stderr, "idmscope export: %s\n", error.c_str());
    return 2;
  }
  if (request.png_out) {
    if (!gui::export_frame_png(clip_request, request.frame, *request.png_out, error)) return fail(error);
    std::printf("wrote %s (F%02d of %s)\n", request.png_out->c_str(), request.frame, clip.key.c_str());
    return 0;
  }
  gui::Mp4ExportOptions options;
  options.crf = request.crf;
  options.lossless = request.lossless;
  if (request.mask_out) options.mask_out = *request.mask_out;
  int frames = gui::export_clip_mp4(clip_request, *request.mp4_out, options, error);
  if (frames < 0) return fail(error);
  std::printf("wrote %s (%d frames of %s at %g fps)\n", request.mp4_out->c_str(), frames, clip.key.c_str(), request.profile.fps);
  return 0;
}

}  // namespace idm::cli
