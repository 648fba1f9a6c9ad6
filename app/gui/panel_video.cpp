// The video view: the exact grid frame, fitted to the panel, with a badge naming it.
#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "panels.hpp"
#include "texture.hpp"

namespace idm::gui {

void draw_video(const AppState& state, render::Texture& texture) {
  ImVec2 origin = ImGui::GetCursorScreenPos();
  ImVec2 available = ImGui::GetContentRegionAvail();
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddRectFilled(origin, ImVec2(origin.x + available.x, origin.y + available.y), IM_COL32(18, 18, 22, 255));
  const CachedFrame* frame = nullptr;
  if (state.view.grid.size() > static_cast<size_t>(state.grid_frame)) frame = state.view.grid[static_cast<size_t>(state.grid_frame)].get();
  if (!frame || texture.empty()) {
    const char* message = !state.view.video_error.empty() ? state.view.video_error.c_str()
                          : state.view.clip < 0        ? "open a dataset to see its clips"
                                                       : "decoding...";
    ImGui::SetCursorScreenPos(ImVec2(origin.x + 12, origin.y + 12));
    ImGui::TextWrapped("%s", message);
    ImGui::Dummy(available);
    return;
  }
  // Fit: the largest size with the video's aspect ratio inside the panel, centred.
  float scale = std::min(available.x / static_cast<float>(texture.width()), available.y / static_cast<float>(texture.height()));
  ImVec2 size(texture.width() * scale, texture.height() * scale);
  ImVec2 top_left(origin.x + (available.x - size.x) / 2, origin.y + (available.y - size.y) / 2);
  draw->AddImage(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(texture.id())), top_left,
                 ImVec2(top_left.x + size.x, top_left.y + size.y));
  char badge[160];
  double pts_s = static_cast<double>(frame->pts_us - state.view.video->index.container_start_us) / 1e6;
  std::snprintf(badge, sizeof badge, "F%02d  source frame %d  pts %.3f s  %dx%d", state.grid_frame, frame->source_frame_index, pts_s,
                frame->width, frame->height);
  ImVec2 text = ImGui::CalcTextSize(badge);
  draw->AddRectFilled(ImVec2(top_left.x + 8, top_left.y + 8), ImVec2(top_left.x + 20 + text.x, top_left.y + 16 + text.y),
                      IM_COL32(0, 0, 0, 190), 4.0f);
  draw->AddText(ImVec2(top_left.x + 14, top_left.y + 12), IM_COL32(255, 255, 255, 255), badge);
  ImGui::Dummy(available);
}

}  // namespace idm::gui
