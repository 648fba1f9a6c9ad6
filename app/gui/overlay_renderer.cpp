#include "overlay_renderer.hpp"
#include "texture.hpp"

#include <GL/gl.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace idm::gui {

// Its own ImGui context (with the OpenGL backend) drawing into an offscreen target; the
// caller's context is restored when this goes away, and after each frame.
OverlayRenderer::OverlayRenderer() : previous_(ImGui::GetCurrentContext()) {}

OverlayRenderer::~OverlayRenderer() {
  if (context_) {
    ImGui::SetCurrentContext(context_);
    if (backend_ready_) ImGui_ImplOpenGL3_Shutdown();
    ImGui::DestroyContext(context_);
  }
  ImGui::SetCurrentContext(previous_);
}

bool OverlayRenderer::start(int width, int height, std::string& error) {
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
  ImGui::SetCurrentContext(previous_);
  return backend_ready_;
}

void OverlayRenderer::render_layer(const OverlayScene& scene, const OverlaySettings& settings, OverlayLayer& out) {
  ImGui::SetCurrentContext(context_);
  const int width = target_.width(), height = target_.height();
  const ImVec2 size(static_cast<float>(width), static_cast<float>(height));
  ImGui_ImplOpenGL3_NewFrame();
  ImGui::NewFrame();
  draw_overlays(ImGui::GetBackgroundDrawList(), scene, settings, analysis::VideoToScreen{0, 0, 1}, ImVec2(0, 0), size);
  ImGui::Render();
  // The rectangle the vertices cover (anti-aliased fringes included), one pixel wider.
  const ImDrawData* data = ImGui::GetDrawData();
  float min_x = size.x, min_y = size.y, max_x = 0, max_y = 0;
  for (int list = 0; list < data->CmdListsCount; ++list) {
    for (const ImDrawVert& vertex : data->CmdLists[list]->VtxBuffer) {
      min_x = std::min(min_x, vertex.pos.x), min_y = std::min(min_y, vertex.pos.y);
      max_x = std::max(max_x, vertex.pos.x), max_y = std::max(max_y, vertex.pos.y);
    }
  }
  out.x = std::clamp(static_cast<int>(std::floor(min_x)) - 1, 0, width);
  out.y = std::clamp(static_cast<int>(std::floor(min_y)) - 1, 0, height);
  out.width = std::max(0, std::clamp(static_cast<int>(std::ceil(max_x)) + 1, 0, width) - out.x);
  out.height = std::max(0, std::clamp(static_cast<int>(std::ceil(max_y)) + 1, 0, height) - out.y);
  out.rgba.assign(static_cast<size_t>(out.width) * out.height * 4, 0);
  if (out.width > 0 && out.height > 0) {
    target_.bind();
    glEnable(GL_SCISSOR_TEST);  // clear just the rectangle that is read back
    glScissor(out.x, height - out.y - out.height, out.width, out.height);
    glClearColor(0, 0, 0, 0);
    glClear(GL_COLOR_BUFFER_BIT);
    glDisable(GL_SCISSOR_TEST);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    render::read_framebuffer_rect(out.x, out.y, out.width, out.height, height, out.rgba.data());
    target_.unbind();
  }
  ImGui::SetCurrentContext(previous_);
}

void composite_layer(const uint8_t* video_rgba, int width, int height, const OverlayLayer& layer, int channels_out,
                     std::vector<uint8_t>& out, std::string* mask_out) {
  const size_t pixels = static_cast<size_t>(width) * height;
  out.resize(pixels * static_cast<size_t>(channels_out));
  for (size_t i = 0; i < pixels; ++i) {
    for (int c = 0; c < 3; ++c) out[i * channels_out + c] = video_rgba[i * 4 + c];
    if (channels_out == 4) out[i * 4 + 3] = 255;
  }
  std::string mask;
  if (mask_out) {
    mask = "P5\n" + std::to_string(width) + " " + std::to_string(height) + "\n255\n";
    mask.append(pixels, '\0');
  }
  const size_t mask_start = mask.size() - (mask_out ? pixels : 0);
  for (int row = 0; row < layer.height; ++row) {
    for (int column = 0; column < layer.width; ++column) {
      const uint8_t* over = &layer.rgba[(static_cast<size_t>(row) * layer.width + column) * 4];
      if (over[3] == 0 && over[0] == 0 && over[1] == 0 && over[2] == 0) continue;
      const size_t i = static_cast<size_t>(layer.y + row) * width + static_cast<size_t>(layer.x + column);
      // Premultiplied "over": colour + video * (1 - coverage), rounded.
      for (int c = 0; c < 3; ++c) {
        const int blended = over[c] + (video_rgba[i * 4 + c] * (255 - over[3]) + 127) / 255;
        out[i * channels_out + c] = static_cast<uint8_t>(std::min(255, blended));
      }
      if (mask_out) mask[mask_start + i] = static_cast<char>(255);
    }
  }
  if (mask_out) *mask_out += mask;
}

bool prepare_export_clip(const ExportClip& request, PreparedClip& out, std::string& error) {
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
  if (out.map.length() == 0) {
    error = clip.video_path.string() + ": " + empty_grid_error(out.index, request.profile.fps);
    return false;
  }
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
  out.motions = compute_clip_motions(dataset, request.clip_index, request.sources, request.profile.fps);
  return true;
}

OverlayScene export_scene(const ExportClip& request, const PreparedClip& prepared, int grid_frame) {
  std::vector<const ClipEvaluation*> evaluations;
  for (const ClipEvaluation& evaluation : prepared.evaluations) evaluations.push_back(&evaluation);
  OverlayScene scene = make_overlay_scene(*request.dataset, request.clip_index, request.sources, evaluations, &prepared.gt_only, grid_frame,
                                          prepared.map.length(), request.profile.fps, &prepared.motions);
  scene.video_width_px = prepared.index.width;
  scene.video_height_px = prepared.index.height;
  return scene;
}

}  // namespace idm::gui
