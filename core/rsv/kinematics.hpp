#pragma once
// The action table (data, assets/rsv/conventions.json) and the kinematics of rsv.md §3:
// forward F = (cos yaw, sin yaw, 0), right R = (-sin yaw, cos yaw, 0), Z up, cm and degrees.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "rsv/types.hpp"

namespace idm::rsv {

struct ActionEffect {
  std::string name;
  int id = -1;
  double forward_cm = 0.0;
  double right_cm = 0.0;
  double up_cm = 0.0;
  double yaw_deg = 0.0;
  double pitch_deg = 0.0;
  std::string status;  // card | pinned | assumed | measured
  std::string why;
};

struct Conventions {
  std::vector<ActionEffect> actions;
  const ActionEffect* find(std::string_view name) const;
  bool is_translation(std::string_view name) const;
  bool is_rotation(std::string_view name) const;
};

// The table shipped with idmscope (assets/rsv/conventions.json).
std::filesystem::path default_conventions_path();
bool parse_conventions(std::string_view text, Conventions& out, std::string& error);
bool load_conventions(const std::filesystem::path& path, Conventions& out, std::string& error);
std::string conventions_json(const Conventions& conventions);  // the same shape as the asset

// The nine names of the card's vocabulary, and each one's inverse (forward<->backward,
// left<->right, turn_left<->turn_right, look_up<->look_down, no_op<->no_op).
const std::vector<std::string>& action_vocabulary();
std::string inverse_action(std::string_view name);  // empty for an unknown name
// A^-1: the inverse of each action, in reverse order.
std::vector<std::string> inverse_sequence(const std::vector<std::string>& actions);

// Wraps to (-180, 180].
double wrap_degrees(double degrees);
// Unit vectors for a yaw in degrees.
Vec3 forward_of(double yaw_deg);
Vec3 right_of(double yaw_deg);

// The pose after one action from `start` (planar moves: pitch does not tilt them).
Pose apply_action(const Pose& start, const ActionEffect& effect);

// Body-frame delta of one step as measured from the metadata.
struct BodyDelta {
  double forward_cm = 0.0;
  double right_cm = 0.0;
  double up_cm = 0.0;
  double yaw_deg = 0.0;    // wrapped
  double pitch_deg = 0.0;  // wrapped
};
BodyDelta body_delta(const Pose& start, const Pose& end);

double distance_cm(const Vec3& a, const Vec3& b);

}  // namespace idm::rsv
