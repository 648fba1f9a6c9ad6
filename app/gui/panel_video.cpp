// The video view: the exact grid frame, fitted to the panel, with a badge naming it.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "analysis_ui.hpp"
#include "commands.hpp"
#include "panels.hpp"
#include "texture.hpp"

namespace idm::gui {

void draw_video(const AppState& state, render::Texture& texture, VideoUi& ui) {
  ImVec2 origin = ImGui::GetCursorScreenPos();
  ImVec2 available = ImGui::GetContentRegionAvail();
  ImVec2 panel_end(origin.x + available.x, origin.y + available.y);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddRectFilled(origin, panel_end, IM_COL32(18, 18, 22, 255));
  const CachedFrame* frame = shown_frame(state);
  if (!frame || texture.empty()) {
    const char* message = !state.view.video_error.empty() ? state.view.video_error.c_str()
                          : state.view.clip < 0 ? "No dataset open.\n\n"
                                                  "  File > Open dataset (Ctrl+O), or drop a dataset folder on this window.\n"
                                                  "  No data yet? Make the sample: idmscope synth DIR, then open DIR\n"
                                                  "  (its predictions: File > Add predictions, DIR/predictions/good.json).\n\n"
                                                  "  F1 or ? lists every key."
                                                       : "decoding...";
    ImGui::SetCursorScreenPos(ImVec2(origin.x + 12, origin.y + 12));
    ImGui::TextWrapped("%s", message);
    ImGui::Dummy(available);
    return;
  }
  // The zoom and pan belong to a clip: the next one starts fitted, so the cursor is never
  // hidden outside a view zoomed for another clip.
  if (ui.clip != state.view.clip) {
    ui.zoom = 1.0f;
    ui.pan_x = ui.pan_y = 0.0f;
    ui.clip = state.view.clip;
  }
  // One transform, image -> screen: fit, times the user's zoom, centred, plus the pan.
  float fit = std::min(available.x / static_cast<float>(texture.width()), available.y / static_cast<float>(texture.height()));
  float scale = fit * ui.zoom;
  ImVec2 centre(origin.x + available.x / 2 + ui.pan_x, origin.y + available.y / 2 + ui.pan_y);
  ImVec2 top_left(centre.x - texture.width() * scale / 2, centre.y - texture.height() * scale / 2);
  ImVec2 bottom_right(top_left.x + texture.width() * scale, top_left.y + texture.height() * scale);

  // The panel is the canvas: wheel zooms around the cursor, drag pans, double-click fits.
  ImGui::SetCursorScreenPos(origin);
  ImGui::InvisibleButton("video_canvas", ImVec2(std::max(available.x, 1.0f), std::max(available.y, 1.0f)));
  ImGuiIO& io = ImGui::GetIO();
  if (ImGui::IsItemHovered() && io.MouseWheel != 0.0f) {
    float new_zoom = std::clamp(ui.zoom * std::pow(1.15f, io.MouseWheel), 1.0f, 40.0f);
    float ratio = new_zoom / ui.zoom;
    // Keep the image point under the cursor where it is.
    float panel_centre_x = origin.x + available.x / 2, panel_centre_y = origin.y + available.y / 2;
    ui.pan_x = (io.MousePos.x - panel_centre_x) - (io.MousePos.x - centre.x) * ratio;
    ui.pan_y = (io.MousePos.y - panel_centre_y) - (io.MousePos.y - centre.y) * ratio;
    ui.zoom = new_zoom;
  }
  if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Left)) {
    ui.pan_x += io.MouseDelta.x;
    ui.pan_y += io.MouseDelta.y;
  }
  // Double-click fits: zoom and pan only (the overlays' switches stay). Its first click placed
  // the arrow anchor; the anchor goes back to where it was before that click.
  if (ImGui::IsItemHovered() && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) {
    ui.zoom = 1.0f;
    ui.pan_x = ui.pan_y = 0.0f;
  }

  draw->PushClipRect(origin, panel_end, true);
  draw->AddImage(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(texture.id())), top_left, bottom_right);
  ui.drawn_min_x = top_left.x;
  ui.drawn_min_y = top_left.y;
  ui.drawn_max_x = bottom_right.x;
  ui.drawn_max_y = bottom_right.y;
  video_overlay_hook(state, ui.overlays, top_left, bottom_right, texture.width(), texture.height(), origin, panel_end);
  char badge[200];
  double pts_s = static_cast<double>(frame->pts_us - state.view.video->index.container_start_us) / 1e6;
  if (state.view.native_source_frame >= 0) {
    std::snprintf(badge, sizeof badge, "native frame %d (after F%02d)  pts %.3f s  zoom %.1fx", frame->source_frame_index, state.grid_frame,
                  pts_s, ui.zoom);
  } else {
    std::snprintf(badge, sizeof badge, "F%02d  source frame %d  pts %.3f s  %dx%d  zoom %.1fx", state.grid_frame, frame->source_frame_index,
                  pts_s, frame->width, frame->height, ui.zoom);
  }
  ImVec2 text = ImGui::CalcTextSize(badge);
  ImVec2 badge_at(std::max(top_left.x, origin.x) + 8, std::max(top_left.y, origin.y) + 8);
  draw->AddRectFilled(badge_at, ImVec2(badge_at.x + 12 + text.x, badge_at.y + 8 + text.y),
                      state.view.native_source_frame >= 0 ? IM_COL32(120, 60, 0, 210) : IM_COL32(0, 0, 0, 190), 4.0f);
  draw->AddText(ImVec2(badge_at.x + 6, badge_at.y + 4), IM_COL32(255, 255, 255, 255), badge);
  draw->PopClipRect();
}

}  // namespace idm::gui
