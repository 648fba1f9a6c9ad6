#include "rsv/layer1.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace idm::rsv {

namespace {

std::string format(const char* pattern, double a, double b = 0.0, double c = 0.0) {
  char text[256];
  std::snprintf(text, sizeof text, pattern, a, b, c);
  return text;
}

double max_component_diff(const Vec3& a, const Vec3& b) {
  return std::max({std::fabs(a.x - b.x), std::fabs(a.y - b.y), std::fabs(a.z - b.z)});
}

double max_angle_diff(const Vec3& a, const Vec3& b) {
  return std::max({std::fabs(wrap_degrees(a.x - b.x)), std::fabs(wrap_degrees(a.y - b.y)), std::fabs(wrap_degrees(a.z - b.z))});
}

void closure(const Pose& reached, const Pose& target, Layer1Result& result) {
  result.closure_residual_cm = distance_cm(reached.position_cm, target.position_cm);
  result.closure_residual_deg = std::max(std::fabs(wrap_degrees(reached.rotation_deg.y - target.rotation_deg.y)),
                                         std::fabs(wrap_degrees(reached.rotation_deg.x - target.rotation_deg.x)));
}

void finish(Layer1Result& result, std::vector<std::string>& problems, const std::string& closure_what) {
  if (result.closure_residual_cm > kClosureToleranceCm || result.closure_residual_deg > kAngleToleranceDeg) {
    problems.insert(problems.begin(), closure_what + format(" by %.2f cm and %.3f deg", result.closure_residual_cm,
                                                            result.closure_residual_deg));
  }
  result.pass = problems.empty();
  if (!problems.empty()) {
    result.reason = problems.front();
    if (problems.size() > 1) result.reason += " (+" + std::to_string(problems.size() - 1) + " more)";
  }
}

}  // namespace

void check_steps(const RsvMeta& meta, const Conventions& conventions, Layer1Result& result,
                 std::vector<std::string>& problems) {
  std::string prefix = meta.role.empty() ? "" : meta.role + " ";
  Pose previous = *meta.root;
  for (size_t k = 0; k < meta.steps.size(); ++k) {
    const StepRecord& step = meta.steps[k];
    std::string at = prefix + "step " + std::to_string(k) + " (" + step.action + ")";
    double deviation = distance_cm(step.actual_end.position_cm, step.expected_end_pos);
    if (result.worst_step < 0 || deviation > result.max_step_deviation_cm) {
      result.max_step_deviation_cm = deviation;
      result.worst_step = static_cast<int>(k);
    }
    if (deviation > kStepToleranceCm) problems.push_back(at + format(": actual end is %.2f cm from the expected end (limit 1 cm)", deviation));
    if (max_component_diff(step.start.position_cm, previous.position_cm) > kRoundingToleranceCm ||
        max_angle_diff(step.start.rotation_deg, previous.rotation_deg) > kAngleToleranceDeg) {
      problems.push_back(at + format(": starts %.2f cm / %.3f deg away from where the previous step ended",
                                     distance_cm(step.start.position_cm, previous.position_cm),
                                     max_angle_diff(step.start.rotation_deg, previous.rotation_deg)));
    }
    if (const ActionEffect* effect = conventions.find(step.action)) {
      Pose kinematic = apply_action(step.start, *effect);
      double off = max_component_diff(kinematic.position_cm, step.expected_end_pos);
      if (off > kRoundingToleranceCm) {
        problems.push_back(at + format(": expected_end_pos is %.2f cm from the kinematics (%.1f, %.1f)", off,
                                       kinematic.position_cm.x, kinematic.position_cm.y));
      }
      double turn = max_angle_diff(step.actual_end.rotation_deg, kinematic.rotation_deg);
      if (turn > kAngleToleranceDeg) problems.push_back(at + format(": actual_end_rot is %.3f deg off start_rot + the action's rotation", turn));
    }
    if (step.collision) problems.push_back(at + format(": collision (displaced %.1f cm)", step.collision_displacement_cm));
    previous = step.actual_end;
  }
}

Layer1Result layer1_single(const RsvMeta& meta, const Conventions& conventions) {
  Layer1Result result;
  if (!meta.steps_valid || !meta.root || meta.steps.empty()) return result;
  std::vector<std::string> problems;
  check_steps(meta, conventions, result, problems);
  closure(meta.steps.back().actual_end, *meta.root, result);
  finish(result, problems, "closure: the end pose misses the root");
  return result;
}

Layer1Result layer1_pair(const RsvMeta& a, const RsvMeta& b, const Conventions& conventions) {
  Layer1Result result;
  if (!a.steps_valid || !b.steps_valid || !a.root || !b.root || a.steps.empty() || b.steps.empty()) return result;
  std::vector<std::string> problems;
  Layer1Result half_b;
  check_steps(a, conventions, result, problems);
  check_steps(b, conventions, half_b, problems);
  if (half_b.max_step_deviation_cm > result.max_step_deviation_cm) {
    result.max_step_deviation_cm = half_b.max_step_deviation_cm;
    result.worst_step = half_b.worst_step;
  }
  closure(b.steps.back().actual_end, a.steps.back().actual_end, result);
  finish(result, problems, "closure: path_B ends away from path_A's end");
  return result;
}

}  // namespace idm::rsv
