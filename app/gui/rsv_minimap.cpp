// The pose minimap: the path from the per-step poses seen from above (x right, y down as
// rsv.md §3's axes draw), a yaw arrow per step, the camera's 79° view wedge at the current
// frame's interpolated pose, a pitch gauge, the root, the closure residual in red and a 100 cm
// grid. A pair: A solid, B dashed. Click a step's point to seek to it; wheel zooms, right-drag pans.
#include <algorithm>
#include <cmath>

#include "rsv_panels.hpp"

namespace idm::gui {

namespace {

constexpr double kHalfFovDeg = 79.0 / 2.0;  // rsv.md §3 camera
constexpr double kPi = 3.14159265358979323846;
constexpr ImU32 kPathColour[2] = {IM_COL32(90, 170, 255, 255), IM_COL32(255, 200, 80, 255)};

struct View {
  double min_x = 0, min_y = 0, scale = 1;
  ImVec2 origin;
  ImVec2 at(double x_cm, double y_cm) const {
    return ImVec2(origin.x + static_cast<float>((x_cm - min_x) * scale), origin.y + static_cast<float>((y_cm - min_y) * scale));
  }
};

// The points the path goes through: the first step's start, then each step's actual end.
std::vector<rsv::Vec3> path_of(const rsv::RsvMeta& meta) {
  std::vector<rsv::Vec3> points;
  if (meta.steps.empty()) return points;
  points.push_back(meta.steps.front().start.position_cm);
  for (const rsv::StepRecord& step : meta.steps) points.push_back(step.actual_end.position_cm);
  return points;
}

void dashed_line(ImDrawList* draw, ImVec2 a, ImVec2 b, ImU32 colour, float thickness) {
  float dx = b.x - a.x, dy = b.y - a.y;
  float length = std::sqrt(dx * dx + dy * dy);
  constexpr float kDash = 6.0f;
  for (float t = 0; t < length; t += 2 * kDash) {
    float t1 = std::min(length, t + kDash);
    draw->AddLine(ImVec2(a.x + dx * t / length, a.y + dy * t / length), ImVec2(a.x + dx * t1 / length, a.y + dy * t1 / length), colour, thickness);
  }
}

}  // namespace

rsv::Pose rsv_pose_at(const rsv::RsvMeta& meta, int frame, rsv::FramePhase phase) {
  int per_step = meta.frames_per_step > 0 ? meta.frames_per_step : 9;
  int step = frame / per_step;
  if (step >= static_cast<int>(meta.steps.size())) return meta.steps.back().actual_end;
  const rsv::StepRecord& record = meta.steps[static_cast<size_t>(std::max(0, step))];
  return rsv::interpolate(record, rsv::phase_fraction(frame % per_step, per_step, phase));
}

void draw_rsv_minimap(const AppState& state, RsvUi& ui, CommandQueue& commands) {
  const RsvState& rsv = state.rsv;
  ui.minimap = RsvMinimapDraw{};
  const rsv::LoadedItem* loaded = rsv.current_item();
  std::vector<const rsv::RsvMeta*> metas;
  if (loaded) {
    for (const rsv::LoadedMember& member : loaded->members) {
      if (member.meta.steps_valid && !member.meta.steps.empty()) metas.push_back(&member.meta);
    }
  }
  if (metas.empty()) {
    ImGui::TextDisabled("no poses (the metadata's steps are not readable)");
    return;
  }
  ImGui::TextDisabled("top view, 100 cm grid; click a step");
  ImVec2 top_left = ImGui::GetCursorScreenPos();
  ImVec2 size = ImGui::GetContentRegionAvail();
  if (size.x < 40 || size.y < 40) return;
  ImGui::InvisibleButton("minimap", size, ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
  bool hovered = ImGui::IsItemHovered();
  ImGuiIO& io = ImGui::GetIO();
  if (hovered && io.MouseWheel != 0.0f) ui.minimap_zoom = std::clamp(ui.minimap_zoom * (io.MouseWheel > 0 ? 1.25f : 0.8f), 0.25f, 40.0f);
  if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Right)) {
    ui.minimap_pan_x += io.MouseDelta.x;
    ui.minimap_pan_y += io.MouseDelta.y;
  }
  if (hovered && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) ui.minimap_zoom = 1.0f, ui.minimap_pan_x = ui.minimap_pan_y = 0.0f;

  std::vector<std::vector<rsv::Vec3>> paths;
  double min_x = 1e300, min_y = 1e300, max_x = -1e300, max_y = -1e300;
  for (const rsv::RsvMeta* meta : metas) {
    paths.push_back(path_of(*meta));
    for (const rsv::Vec3& p : paths.back()) {
      min_x = std::min(min_x, p.x), max_x = std::max(max_x, p.x);
      min_y = std::min(min_y, p.y), max_y = std::max(max_y, p.y);
    }
  }
  constexpr float kMargin = 40.0f;
  double span_x = std::max(100.0, max_x - min_x), span_y = std::max(100.0, max_y - min_y);
  View view;
  view.scale = std::min((size.x - 2 * kMargin) / span_x, (size.y - 2 * kMargin) / span_y) * ui.minimap_zoom;
  view.min_x = (min_x + max_x) / 2 - (size.x / 2) / view.scale;
  view.min_y = (min_y + max_y) / 2 - (size.y / 2) / view.scale;
  view.origin = ImVec2(top_left.x + ui.minimap_pan_x, top_left.y + ui.minimap_pan_y);

  ImDrawList* draw = ImGui::GetWindowDrawList();
  ImVec2 bottom_right(top_left.x + size.x, top_left.y + size.y);
  draw->PushClipRect(top_left, bottom_right, true);
  draw->AddRectFilled(top_left, bottom_right, IM_COL32(22, 24, 28, 255));
  // 100 cm grid.
  double grid_x0 = std::floor(view.min_x / 100.0) * 100.0, grid_x1 = view.min_x + size.x / view.scale;
  double grid_y0 = std::floor(view.min_y / 100.0) * 100.0, grid_y1 = view.min_y + size.y / view.scale;
  if (view.scale * 100.0 >= 4.0) {
    for (double x = grid_x0; x <= grid_x1; x += 100.0) draw->AddLine(view.at(x, grid_y0), view.at(x, grid_y1), IM_COL32(50, 54, 60, 255));
    for (double y = grid_y0; y <= grid_y1; y += 100.0) draw->AddLine(view.at(grid_x0, y), view.at(grid_x1, y), IM_COL32(50, 54, 60, 255));
  }
  // Root.
  const rsv::RsvMeta& first = *metas.front();
  rsv::Vec3 root = first.root ? first.root->position_cm : paths.front().front();
  ImVec2 root_at = view.at(root.x, root.y);
  draw->AddRectFilled(ImVec2(root_at.x - 5, root_at.y - 5), ImVec2(root_at.x + 5, root_at.y + 5), IM_COL32(80, 220, 120, 255));
  draw->AddText(ImVec2(root_at.x + 7, root_at.y - 7), IM_COL32(80, 220, 120, 255), "root");
  // Paths with a yaw arrow per step.
  int clicked_frame = -1;
  float best_distance = 10.0f;
  ImVec2 mouse = io.MousePos;
  int per_step = rsv.frames_per_step();
  for (size_t m = 0; m < metas.size(); ++m) {
    const std::vector<rsv::Vec3>& path = paths[m];
    ImU32 colour = kPathColour[m % 2];
    for (size_t i = 1; i < path.size(); ++i) {
      ImVec2 a = view.at(path[i - 1].x, path[i - 1].y), b = view.at(path[i].x, path[i].y);
      if (m == 0) draw->AddLine(a, b, colour, 2.0f);
      else dashed_line(draw, a, b, colour, 2.0f);
    }
    for (size_t k = 0; k < metas[m]->steps.size(); ++k) {
      const rsv::StepRecord& step = metas[m]->steps[k];
      ImVec2 at = view.at(step.start.position_cm.x, step.start.position_cm.y);
      rsv::Vec3 forward = rsv::forward_of(step.start.rotation_deg.y);
      ImVec2 tip(at.x + static_cast<float>(forward.x) * 9.0f, at.y + static_cast<float>(forward.y) * 9.0f);
      draw->AddLine(at, tip, IM_COL32(200, 200, 200, 160), 1.0f);
      draw->AddCircleFilled(at, 2.0f, colour);
      float dx = mouse.x - at.x, dy = mouse.y - at.y;
      float distance = std::sqrt(dx * dx + dy * dy);
      if (distance < best_distance) {
        best_distance = distance;
        clicked_frame = static_cast<int>(k) * per_step;
      }
    }
    if (m == 0) ui.minimap.path_points = path.size();
  }
  if (hovered && ImGui::IsItemClicked(ImGuiMouseButton_Left) && clicked_frame >= 0) commands.push_back(cmd::RsvSeek{clicked_frame});

  // Closure residual: a trajectory's end against its root; a pair's A end against B's end.
  const rsv::ItemResult* result = rsv.current_report() ? rsv.result(rsv.item) : nullptr;
  rsv::Vec3 end_a = paths.front().back();
  rsv::Vec3 other = metas.size() == 2 ? paths[1].back() : root;
  double residual = result && result->layer1.pass ? result->layer1.closure_residual_cm : rsv::distance_cm(end_a, other);
  ui.minimap.residual_cm = residual;
  if (residual > 0.05) {
    ImVec2 a = view.at(end_a.x, end_a.y), b = view.at(other.x, other.y);
    draw->AddLine(a, b, IM_COL32(255, 60, 50, 255), 3.0f);
    draw->AddCircle(a, 7.0f, IM_COL32(255, 60, 50, 255), 0, 2.0f);
    char text[48];
    std::snprintf(text, sizeof text, "residual %.2f cm", residual);
    float text_width = ImGui::CalcTextSize(text).x;
    float text_x = a.x + 9 + text_width < bottom_right.x ? a.x + 9 : a.x - 9 - text_width;  // stays inside the map
    draw->AddText(ImVec2(text_x, a.y + 4), IM_COL32(255, 90, 80, 255), text);
    ui.minimap.residual_drawn = true;
    ui.minimap.residual_x0 = a.x, ui.minimap.residual_y0 = a.y, ui.minimap.residual_x1 = b.x, ui.minimap.residual_y1 = b.y;
  }
  // The current pose of each member: a 79° view wedge along its yaw.
  for (size_t m = 0; m < metas.size(); ++m) {
    rsv::Pose pose = rsv_pose_at(*metas[m], rsv.frame, rsv.phase);
    ImVec2 at = view.at(pose.position_cm.x, pose.position_cm.y);
    double yaw = pose.rotation_deg.y;
    constexpr float kWedge = 46.0f;
    auto ray = [&](double degrees) {
      double radians = degrees * kPi / 180.0;
      return ImVec2(at.x + static_cast<float>(std::cos(radians)) * kWedge, at.y + static_cast<float>(std::sin(radians)) * kWedge);
    };
    ImU32 wedge = m == 0 ? IM_COL32(90, 170, 255, 70) : IM_COL32(255, 200, 80, 70);
    draw->AddTriangleFilled(at, ray(yaw - kHalfFovDeg), ray(yaw + kHalfFovDeg), wedge);
    draw->AddLine(at, ray(yaw), IM_COL32(255, 255, 255, 220), 1.5f);
    draw->AddCircleFilled(at, 5.0f, IM_COL32(255, 255, 255, 255));
    if (m == 0) {
      ui.minimap.drawn = true;
      ui.minimap.item = loaded && loaded->item ? loaded->item->key : "";
      ui.minimap.frame = rsv.frame;
      ui.minimap.pose_x_cm = pose.position_cm.x;
      ui.minimap.pose_y_cm = pose.position_cm.y;
      ui.minimap.pose_yaw_deg = yaw;
      ui.minimap.current_x = at.x - top_left.x;
      ui.minimap.current_y = at.y - top_left.y;
      // Pitch gauge: a bar at the right edge, up is positive pitch (look_up).
      double pitch = std::clamp(pose.rotation_deg.x, -45.0, 45.0);
      ImVec2 gauge(bottom_right.x - 14, top_left.y + size.y / 2);
      draw->AddRect(ImVec2(gauge.x - 4, gauge.y - 50), ImVec2(gauge.x + 4, gauge.y + 50), IM_COL32(120, 120, 120, 255));
      draw->AddLine(ImVec2(gauge.x - 8, gauge.y - static_cast<float>(pitch / 45.0 * 50.0)), ImVec2(gauge.x + 8, gauge.y - static_cast<float>(pitch / 45.0 * 50.0)),
                    IM_COL32(255, 255, 255, 255), 2.0f);
      char text[32];
      std::snprintf(text, sizeof text, "pitch %.1f", pose.rotation_deg.x);
      draw->AddText(ImVec2(gauge.x - 70, gauge.y + 54), IM_COL32(180, 180, 180, 255), text);
    }
  }
  if (metas.size() == 2) draw->AddText(ImVec2(top_left.x + 6, bottom_right.y - 18), IM_COL32(200, 200, 200, 255), "A solid, B dashed");
  draw->PopClipRect();
}

}  // namespace idm::gui
