#include "rsv/frames.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "rsv/kinematics.hpp"

namespace idm::rsv {

const char* phase_name(FramePhase phase) {
  switch (phase) {
    case FramePhase::Start: return "start";
    case FramePhase::End: return "end";
    case FramePhase::Inclusive: return "inclusive";
  }
  return "start";
}

std::optional<FramePhase> parse_phase(const std::string& text) {
  if (text == "start") return FramePhase::Start;
  if (text == "end") return FramePhase::End;
  if (text == "inclusive") return FramePhase::Inclusive;
  return std::nullopt;
}

std::string endpoint_policy_name(const EndpointPolicy& policy) {
  switch (policy.kind) {
    case EndpointKind::VideoEnds: return "video-ends";
    case EndpointKind::Closure: return "closure";
    case EndpointKind::Explicit: return std::to_string(policy.start_frame) + "," + std::to_string(policy.end_frame);
  }
  return "video-ends";
}

std::optional<EndpointPolicy> parse_endpoint_policy(const std::string& text) {
  EndpointPolicy policy;
  if (text == "video-ends") return policy;
  if (text == "closure") {
    policy.kind = EndpointKind::Closure;
    return policy;
  }
  int start = -1, end = -1;
  char extra = 0;
  if (std::sscanf(text.c_str(), "%d,%d%c", &start, &end, &extra) == 2 && start >= 0 && end >= 0) {
    policy.kind = EndpointKind::Explicit;
    policy.start_frame = start;
    policy.end_frame = end;
    return policy;
  }
  return std::nullopt;
}

double phase_fraction(int frame_in_step, int frames_per_step, FramePhase phase) {
  switch (phase) {
    case FramePhase::Start: return static_cast<double>(frame_in_step) / frames_per_step;
    case FramePhase::End: return static_cast<double>(frame_in_step + 1) / frames_per_step;
    case FramePhase::Inclusive:
      return frames_per_step > 1 ? static_cast<double>(frame_in_step) / (frames_per_step - 1) : 1.0;
  }
  return 0.0;
}

Pose interpolate(const StepRecord& step, double fraction) {
  Pose pose;
  const Vec3& a = step.start.position_cm;
  const Vec3& b = step.actual_end.position_cm;
  pose.position_cm = {a.x + (b.x - a.x) * fraction, a.y + (b.y - a.y) * fraction, a.z + (b.z - a.z) * fraction};
  const Vec3& ra = step.start.rotation_deg;
  const Vec3& rb = step.actual_end.rotation_deg;
  pose.rotation_deg = {ra.x + wrap_degrees(rb.x - ra.x) * fraction, ra.y + wrap_degrees(rb.y - ra.y) * fraction,
                       ra.z + wrap_degrees(rb.z - ra.z) * fraction};
  return pose;
}

std::vector<Pose> shown_poses(const RsvMeta& meta, FramePhase phase) {
  std::vector<Pose> poses;
  int per_step = meta.frames_per_step > 0 ? meta.frames_per_step : 9;
  poses.reserve(meta.steps.size() * static_cast<size_t>(per_step));
  for (const StepRecord& step : meta.steps) {
    for (int j = 0; j < per_step; ++j) poses.push_back(interpolate(step, phase_fraction(j, per_step, phase)));
  }
  return poses;
}

bool same_pose(const Pose& a, const Pose& b, double cm, double deg) {
  return distance_cm(a.position_cm, b.position_cm) <= cm &&
         std::fabs(wrap_degrees(a.rotation_deg.x - b.rotation_deg.x)) <= deg &&
         std::fabs(wrap_degrees(a.rotation_deg.y - b.rotation_deg.y)) <= deg &&
         std::fabs(wrap_degrees(a.rotation_deg.z - b.rotation_deg.z)) <= deg;
}

ClosureFrames closure_frames(const RsvMeta& meta, FramePhase phase) {
  ClosureFrames out;
  if (!meta.steps_valid || !meta.root || meta.steps.empty()) return out;
  std::vector<Pose> poses = shown_poses(meta, phase);
  // Rounded metadata: the same tolerance as Layer 1's closure (1 cm, 0.01 deg).
  // The root is looked for only until the path first leaves it (a loop comes back to it at the end).
  size_t first_active = 0;
  while (first_active + 1 < meta.steps.size() && same_pose(meta.steps[first_active].actual_end, *meta.root, 1.0, 0.01)) ++first_active;
  size_t per_step = poses.size() / meta.steps.size();
  size_t search_end = std::min(poses.size(), (first_active + 1) * per_step);
  for (size_t i = 0; i < search_end; ++i) {
    if (same_pose(poses[i], *meta.root, 1.0, 0.01)) {
      out.root_frame = static_cast<int>(i);
      break;
    }
  }
  const Pose& last = meta.steps.back().actual_end;
  std::optional<int> first_of_run;
  for (size_t i = poses.size(); i-- > 0;) {
    if (!same_pose(poses[i], last, 1.0, 0.01)) break;
    first_of_run = static_cast<int>(i);
  }
  out.final_frame = first_of_run;
  return out;
}

}  // namespace idm::rsv
