#pragma once
// Builds RSV metadata in memory for the unit tests: a trajectory moved by the shipped
// conventions table, written like the card's _meta.json (positions rounded to 0.1 cm).
#include <cmath>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "rsv/kinematics.hpp"
#include "rsv/meta.hpp"

namespace idm::rsv::test {

inline Conventions shipped_table() {
  Conventions table;
  std::string error;
  if (!load_conventions(default_conventions_path(), table, error)) throw std::runtime_error(error);
  return table;
}

inline double tenth(double value) { return std::round(value * 10.0) / 10.0 + 0.0; }

// drift_step/drift_cm: that step ends drift_cm off in x (the next one gets back on track).
inline nlohmann::ordered_json make_meta(const std::vector<std::string>& actions, const Conventions& table, int64_t tid = 7,
                                        const std::string& type = "inverse", int drift_step = -1, double drift_cm = 0.0) {
  using Json = nlohmann::ordered_json;
  Pose root{{-2490.0, 1200.0, 400.0}, {0.0, 240.0, 0.0}};
  Json meta;
  meta["trajectory_id"] = tid;
  meta["data_type"] = "reasoning";
  meta["trajectory_type"] = type;
  meta["algebraic_property"] = "test";
  meta["paired_trajectory"] = {{"is_paired", false}};
  meta["has_collision"] = false;
  meta["collision_count"] = 0;
  meta["total_steps"] = static_cast<int>(actions.size());
  meta["frames_per_step"] = 9;
  meta["total_frames"] = static_cast<int>(actions.size()) * 9;
  meta["render_config"] = {{"resolution", {1280, 720}}, {"fov", 79.0}, {"image_format", "jpeg"}, {"modalities", {"rgb", "depth"}}};
  meta["root_state"] = {{"position", {root.position_cm.x, root.position_cm.y, root.position_cm.z}}, {"rotation", {0.0, 240.0, 0.0}}};
  meta["action_sequence"] = actions;
  meta["collision_mask"] = std::vector<int>(actions.size(), 0);
  Json steps = Json::array();
  Pose current = root, ideal = root;
  auto vec = [](const Vec3& v) { return Json::array({tenth(v.x), tenth(v.y), tenth(v.z)}); };
  auto rot = [](const Vec3& r) { return Json::array({wrap_degrees(r.x), wrap_degrees(r.y), wrap_degrees(r.z)}); };
  for (size_t k = 0; k < actions.size(); ++k) {
    const ActionEffect* effect = table.find(actions[k]);
    Pose expected = apply_action(current, *effect);
    ideal = apply_action(ideal, *effect);
    Pose actual = ideal;
    if (static_cast<int>(k) == drift_step) actual.position_cm.x += drift_cm;
    steps.push_back({{"step", k}, {"action", actions[k]}, {"action_id", effect->id}, {"start_pos", vec(current.position_cm)},
                     {"start_rot", rot(current.rotation_deg)}, {"expected_end_pos", vec(expected.position_cm)},
                     {"actual_end_pos", vec(actual.position_cm)}, {"actual_end_rot", rot(actual.rotation_deg)},
                     {"collision", false}, {"collision_displacement", 0.0}, {"frame_dir", "step_" + std::to_string(k)}});
    current = actual;
  }
  meta["steps"] = steps;
  meta["video_encoding"] = {{"fps", 16.0}, {"crf", 28}, {"resolution", "1280x720"}, {"codec", "libx264"}};
  return meta;
}

inline std::vector<std::string> padded(std::vector<std::string> actions, size_t length = 40) {
  while (actions.size() < length) actions.push_back("no_op");
  return actions;
}

inline std::vector<std::string> a_then_inverse(const std::vector<std::string>& a) {
  std::vector<std::string> out = a;
  for (const std::string& name : inverse_sequence(a)) out.push_back(name);
  return padded(out);
}

}  // namespace idm::rsv::test
