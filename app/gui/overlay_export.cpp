#include "overlay_export.hpp"

#include <GL/gl.h>
#include <backends/imgui_impl_opengl3.h>
#include <fcntl.h>
#include <stb_image_write.h>
#include <unistd.h>

extern "C" {
#include <libavutil/log.h>
}

#include <cstdio>
#include <memory>

#include "io/atomic_write.hpp"
#include "offscreen.hpp"
#include "synth/video_encoder.hpp"
#include "texture.hpp"
#include "video/frame_index.hpp"
#include "video/grid_decoder.hpp"
#include "video/grid_map.hpp"

namespace idm::gui {

namespace {

// Its own ImGui context (with the OpenGL backend) drawing into an offscreen target; the
// caller's context is restored when this goes away.
class OverlayRenderer {
 public:
  OverlayRenderer() : previous_(ImGui::GetCurrentContext()) {}
  ~OverlayRenderer() {
    if (context_) {
      ImGui::SetCurrentContext(context_);
      if (backend_ready_) ImGui_ImplOpenGL3_Shutdown();
      ImGui::DestroyContext(context_);
    }
    ImGui::SetCurrentContext(previous_);
  }

  bool start(int width, int height, std::string& error) {
    if (!target_.create(width, height, error)) return false;
    context_ = ImGui::CreateContext();
    ImGui::SetCurrentContext(context_);
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(static_cast<float>(width), static_cast<float>(height));
    io.DeltaTime = 1.0f / 5.0f;
    // Text scales with the video so badges stay readable in a 1728x1080 export.
    float size_px = std::max(14.0f, 16.0f * static_cast<float>(height) / 800.0f);
    const char* font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    if (std::FILE* probe = std::fopen(font, "rb")) {
      std::fclose(probe);
      io.Fonts->AddFontFromFileTTF(font, size_px);
    } else {
      io.Fonts->AddFontDefault();
    }
    backend_ready_ = ImGui_ImplOpenGL3_Init("#version 330");
    if (!backend_ready_) error = "cannot start ImGui's OpenGL renderer for the export";
    return backend_ready_;
  }

  // One frame: the video (when given) at 1:1 and the overlays on top, read back as RGBA.
  void render(const uint8_t* video_rgba, const OverlayScene& scene, const OverlaySettings& settings, std::vector<uint8_t>& rgba_out) {
    ImGui::SetCurrentContext(context_);
    int width = target_.width(), height = target_.height();
    ImGui_ImplOpenGL3_NewFrame();
    ImGui::NewFrame();
    ImDrawList* draw = ImGui::GetBackgroundDrawList();
    if (video_rgba) {
      texture_.upload(video_rgba, width, height);
      draw->AddImage(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(texture_.id())), ImVec2(0, 0),
                     ImVec2(static_cast<float>(width), static_cast<float>(height)));
    }
    draw_overlays(draw, scene, settings, analysis::VideoToScreen{0, 0, 1}, ImVec2(0, 0), ImVec2(static_cast<float>(width), static_cast<float>(height)));
    ImGui::Render();
    target_.bind();
    glClearColor(0, 0, 0, 0);  // alpha stays 0 where nothing is drawn (the mask pass reads it)
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    rgba_out.resize(static_cast<size_t>(width) * height * 4);
    target_.read(rgba_out.data());
    target_.unbind();
  }

 private:
  ImGuiContext* previous_ = nullptr;
  ImGuiContext* context_ = nullptr;
  bool backend_ready_ = false;
  render::OffscreenTarget target_;
  render::Texture texture_;
};

struct PreparedClip {
  const DatasetClip* clip = nullptr;
  FrameIndex index;
  GridMap map;
  std::vector<ClipEvaluation> evaluations;
  ClipEvaluation gt_only;
};

bool prepare(const ExportClip& request, PreparedClip& out, std::string& error) {
  if (!request.dataset || request.clip_index < 0 || static_cast<size_t>(request.clip_index) >= request.dataset->clips.size()) {
    error = "no such clip";
    return false;
  }
  const Dataset& dataset = *request.dataset;
  out.clip = &dataset.clips[static_cast<size_t>(request.clip_index)];
  const DatasetClip& clip = *out.clip;
  if (!clip.loaded) {
    error = clip.key + ": " + clip.error;
    return false;
  }
  if (!clip.has_video) {
    error = clip.key + ": no video beside " + clip.json_path.string();
    return false;
  }
  if (!build_frame_index(clip.video_path, out.index, error)) return false;
  out.map = build_grid_map(out.index, request.profile.fps);
  if (out.index.width % 2 || out.index.height % 2) {
    error = clip.video_path.string() + ": " + std::to_string(out.index.width) + "x" + std::to_string(out.index.height) +
            " has an odd side; H.264 4:2:0 export needs even sizes";
    return false;
  }
  ClipEvaluationInput input;
  input.log = &clip.log;
  if (auto it = dataset.overrides.clips.find(clip.key); it != dataset.overrides.clips.end()) input.overrides = &it->second;
  if (auto it = dataset.annotations.clips.find(clip.key); it != dataset.annotations.clips.end()) input.labels = &it->second;
  input.grid_frames = out.map.length();
  input.width = out.index.width;
  input.height = out.index.height;
  out.gt_only = evaluate_clip(input, request.profile);
  for (const PredictionSet* source : request.sources) {
    auto it = source->by_clip.find(clip.key);
    input.predictions = it != source->by_clip.end() ? &it->second : nullptr;
    out.evaluations.push_back(evaluate_clip(input, request.profile));
  }
  return true;
}

OverlayScene scene_for(const ExportClip& request, const PreparedClip& prepared, int grid_frame) {
  std::vector<const ClipEvaluation*> evaluations;
  for (const ClipEvaluation& evaluation : prepared.evaluations) evaluations.push_back(&evaluation);
  OverlayScene scene = make_overlay_scene(*request.dataset, request.clip_index, request.sources, evaluations, &prepared.gt_only, grid_frame,
                                          prepared.map.length(), request.profile.fps);
  scene.video_width_px = prepared.index.width;
  scene.video_height_px = prepared.index.height;
  return scene;
}

// fsync the file, rename it over the target, fsync the folder: readers see the old file or the new one.
bool commit_file(const std::filesystem::path& temp, const std::filesystem::path& target, std::string& error) {
  int fd = ::open(temp.c_str(), O_RDONLY);
  bool synced = fd >= 0 && ::fsync(fd) == 0;
  if (fd >= 0) ::close(fd);
  std::error_code code;
  if (!synced) {
    error = "cannot write " + target.string() + ": fsync failed";
    std::filesystem::remove(temp, code);
    return false;
  }
  std::filesystem::rename(temp, target, code);
  if (code) {
    error = "cannot write " + target.string() + ": " + code.message();
    std::filesystem::remove(temp, code);
    return false;
  }
  std::filesystem::path folder = target.parent_path().empty() ? std::filesystem::path(".") : target.parent_path();
  int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return true;
}

void append_bytes(void* context, void* data, int size) { static_cast<std::string*>(context)->append(static_cast<const char*>(data), static_cast<size_t>(size)); }

}  // namespace

std::string encode_png(const uint8_t* rgba, int width, int height) {
  std::string out;
  stbi_write_png_to_func(append_bytes, &out, width, height, 4, rgba, width * 4);
  return out;
}

int export_clip_mp4(const ExportClip& request, const std::filesystem::path& out, const Mp4ExportOptions& options, std::string& error) {
  PreparedClip prepared;
  if (!prepare(request, prepared, error)) return -1;
  int width = prepared.index.width, height = prepared.index.height;
  OverlayRenderer renderer;
  if (!renderer.start(width, height, error)) return -1;
  std::filesystem::path temp = out;
  temp.replace_filename("." + out.filename().string() + ".tmp-" + std::to_string(::getpid()) + ".mp4");
  // x264 reports its settings at info level: keep the terminal for our own messages.
  int log_level = av_log_get_level();
  av_log_set_level(AV_LOG_ERROR);
  struct RestoreLogLevel {
    int level;
    ~RestoreLogLevel() { av_log_set_level(level); }
  } restore_log_level{log_level};
  synth::VideoEncoder encoder;
  synth::VideoSettings settings;
  settings.width_px = width;
  settings.height_px = height;
  settings.fps = static_cast<int>(request.profile.fps);
  settings.gop_frames = 10;
  settings.crf = options.lossless ? 0 : options.crf;
  settings.full_chroma = options.lossless;
  settings.edit_list = false;
  if (!encoder.open(temp, settings, error)) {
    error = "cannot write " + out.string() + " (" + error + ")";  // name the file the user asked for
    std::error_code code;
    std::filesystem::remove(temp, code);
    return -1;
  }
  std::string mask;
  std::vector<uint8_t> rgba, rgb(static_cast<size_t>(width) * height * 3), overlay_only;
  int written = 0;
  std::string frame_error;
  GridFrameSink sink = [&](const GridFrameRgba& frame) {
    // Rows may be padded: repack before uploading.
    std::vector<uint8_t> packed(static_cast<size_t>(width) * height * 4);
    for (int y = 0; y < height; ++y) {
      std::copy_n(frame.rgba + static_cast<size_t>(y) * frame.stride_bytes, static_cast<size_t>(width) * 4, packed.data() + static_cast<size_t>(y) * width * 4);
    }
    OverlayScene scene = scene_for(request, prepared, frame.grid_frame);
    renderer.render(packed.data(), scene, request.settings, rgba);
    for (size_t i = 0, n = static_cast<size_t>(width) * height; i < n; ++i) {
      rgb[i * 3] = rgba[i * 4], rgb[i * 3 + 1] = rgba[i * 4 + 1], rgb[i * 3 + 2] = rgba[i * 4 + 2];
    }
    if (!encoder.add_frame(rgb, frame_error)) return false;
    if (options.mask_out) {
      // The overlays alone on a transparent target: every pixel they touch gets some alpha.
      renderer.render(nullptr, scene, request.settings, overlay_only);
      mask += "P5\n" + std::to_string(width) + " " + std::to_string(height) + "\n255\n";
      for (size_t i = 0, n = static_cast<size_t>(width) * height; i < n; ++i) {
        bool touched = overlay_only[i * 4 + 3] != 0;
        mask += static_cast<char>(touched ? 255 : 0);
      }
    }
    ++written;
    return true;
  };
  bool decoded = decode_grid_rgba(prepared.clip->video_path, prepared.index, prepared.map, sink, error);
  std::error_code code;
  if (!decoded || !frame_error.empty() || !encoder.finish(error)) {
    if (!frame_error.empty()) error = frame_error;
    std::filesystem::remove(temp, code);
    return -1;
  }
  if (!commit_file(temp, out, error)) return -1;
  if (options.mask_out && !write_file_atomically(*options.mask_out, mask, error)) return -1;
  return written;
}

bool export_frame_png(const ExportClip& request, int grid_frame, const std::filesystem::path& out, std::string& error) {
  PreparedClip prepared;
  if (!prepare(request, prepared, error)) return false;
  if (grid_frame < 0 || grid_frame >= prepared.map.length()) {
    error = "--frame " + std::to_string(grid_frame) + " is outside the clip's grid (0.." + std::to_string(prepared.map.length() - 1) + ")";
    return false;
  }
  int width = prepared.index.width, height = prepared.index.height;
  std::vector<uint8_t> packed;
  GridFrameSink sink = [&](const GridFrameRgba& frame) {
    if (frame.grid_frame != grid_frame) return true;
    packed.resize(static_cast<size_t>(width) * height * 4);
    for (int y = 0; y < height; ++y) {
      std::copy_n(frame.rgba + static_cast<size_t>(y) * frame.stride_bytes, static_cast<size_t>(width) * 4, packed.data() + static_cast<size_t>(y) * width * 4);
    }
    return false;  // got it
  };
  if (!decode_grid_rgba(prepared.clip->video_path, prepared.index, prepared.map, sink, error)) return false;
  if (packed.empty()) {
    error = "grid frame " + std::to_string(grid_frame) + " was not decoded";
    return false;
  }
  OverlayRenderer renderer;
  if (!renderer.start(width, height, error)) return false;
  std::vector<uint8_t> rgba;
  renderer.render(packed.data(), scene_for(request, prepared, grid_frame), request.settings, rgba);
  return write_file_atomically(out, encode_png(rgba.data(), width, height), error);
}

}  // namespace idm::gui
