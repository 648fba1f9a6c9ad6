// The path overlay: where the camera will stand after the next steps, projected onto the floor
// with the camera model of rsv.md §3 (pinhole, 79° horizontal FOV, eye 148 cm above the floor,
// UE axes: forward (cos yaw, sin yaw), right (-sin yaw, cos yaw), Z up, pitch tilts forward up).
// If the conventions are right, the dots land where the video's camera goes.
#include <cmath>

#include "rsv_panels.hpp"

namespace idm::gui {

namespace {

constexpr double kHorizontalFovDeg = 79.0;
constexpr double kEyeHeightCm = 148.0;
constexpr int kStepsAhead = 8;
constexpr double kDegToRad = 3.14159265358979323846 / 180.0;

}  // namespace

void draw_rsv_path_overlay(const rsv::RsvMeta& meta, int frame, rsv::FramePhase phase, ImVec2 image_min, ImVec2 image_max) {
  if (meta.steps.empty()) return;
  rsv::Pose camera = rsv_pose_at(meta, frame, phase);
  double yaw = camera.rotation_deg.y * kDegToRad, pitch = camera.rotation_deg.x * kDegToRad;
  // Camera axes in world coordinates.
  double fx = std::cos(pitch) * std::cos(yaw), fy = std::cos(pitch) * std::sin(yaw), fz = std::sin(pitch);
  double rx = -std::sin(yaw), ry = std::cos(yaw);
  double ux = -std::sin(pitch) * std::cos(yaw), uy = -std::sin(pitch) * std::sin(yaw), uz = std::cos(pitch);
  float width = image_max.x - image_min.x, height = image_max.y - image_min.y;
  double focal = (width / 2.0) / std::tan(kHorizontalFovDeg / 2.0 * kDegToRad);
  double floor_z = camera.position_cm.z - kEyeHeightCm;
  int per_step = meta.frames_per_step > 0 ? meta.frames_per_step : 9;
  int step = std::min(frame / per_step, static_cast<int>(meta.steps.size()) - 1);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->PushClipRect(image_min, image_max, true);
  bool have_previous = false;
  ImVec2 previous;
  for (int k = step; k < static_cast<int>(meta.steps.size()) && k < step + kStepsAhead; ++k) {
    const rsv::Vec3& p = meta.steps[static_cast<size_t>(k)].actual_end.position_cm;
    double dx = p.x - camera.position_cm.x, dy = p.y - camera.position_cm.y, dz = floor_z - camera.position_cm.z;
    double depth = dx * fx + dy * fy + dz * fz;
    if (depth < 20.0) {  // behind or under the camera
      have_previous = false;
      continue;
    }
    double right = dx * rx + dy * ry, up = dx * ux + dy * uy + dz * uz;
    ImVec2 at(image_min.x + width / 2 + static_cast<float>(focal * right / depth), image_min.y + height / 2 - static_cast<float>(focal * up / depth));
    if (have_previous) draw->AddLine(previous, at, IM_COL32(255, 235, 60, 200), 2.0f);
    draw->AddCircleFilled(at, k == step ? 5.0f : 3.5f, IM_COL32(255, 235, 60, 230));
    previous = at;
    have_previous = true;
  }
  draw->PopClipRect();
}

}  // namespace idm::gui
