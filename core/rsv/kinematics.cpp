#include "rsv/kinematics.hpp"

#include <cmath>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace idm::rsv {

namespace {
constexpr double kPi = 3.14159265358979323846;
double radians(double degrees) { return degrees * kPi / 180.0; }
}  // namespace

const ActionEffect* Conventions::find(std::string_view name) const {
  for (const ActionEffect& effect : actions) {
    if (effect.name == name) return &effect;
  }
  return nullptr;
}

bool Conventions::is_translation(std::string_view name) const {
  const ActionEffect* effect = find(name);
  return effect && (effect->forward_cm != 0.0 || effect->right_cm != 0.0 || effect->up_cm != 0.0);
}

bool Conventions::is_rotation(std::string_view name) const {
  const ActionEffect* effect = find(name);
  return effect && !is_translation(name) && (effect->yaw_deg != 0.0 || effect->pitch_deg != 0.0);
}

std::filesystem::path default_conventions_path() {
  return std::filesystem::path(IDMSCOPE_ASSETS_DIR) / "rsv" / "conventions.json";
}

bool parse_conventions(std::string_view text, Conventions& out, std::string& error) {
  nlohmann::json document = nlohmann::json::parse(text, nullptr, false);
  if (document.is_discarded() || !document.is_object() || !document.contains("actions") ||
      !document["actions"].is_array()) {
    error = "not a conventions table (expected {\"actions\": [...]})";
    return false;
  }
  Conventions table;
  size_t index = 0;
  for (const nlohmann::json& entry : document["actions"]) {
    std::string where = "actions/" + std::to_string(index++);
    if (!entry.is_object() || !entry.contains("name") || !entry["name"].is_string()) {
      error = where + ": needs a \"name\"";
      return false;
    }
    ActionEffect effect;
    effect.name = entry["name"].get<std::string>();
    auto number = [&](const char* key, double& target) {
      if (!entry.contains(key)) return true;
      if (!entry[key].is_number()) {
        error = where + "/" + key + ": not a number";
        return false;
      }
      target = entry[key].get<double>();
      return std::isfinite(target);
    };
    double id = -1;
    if (!number("id", id) || !number("forward_cm", effect.forward_cm) || !number("right_cm", effect.right_cm) ||
        !number("up_cm", effect.up_cm) || !number("yaw_deg", effect.yaw_deg) || !number("pitch_deg", effect.pitch_deg)) {
      if (error.empty()) error = where + ": a value is not finite";
      return false;
    }
    effect.id = static_cast<int>(id);
    if (entry.contains("status") && entry["status"].is_string()) effect.status = entry["status"].get<std::string>();
    if (entry.contains("why") && entry["why"].is_string()) effect.why = entry["why"].get<std::string>();
    if (table.find(effect.name)) {
      error = where + ": action \"" + effect.name + "\" listed twice";
      return false;
    }
    table.actions.push_back(effect);
  }
  for (const std::string& name : action_vocabulary()) {
    if (!table.find(name)) {
      error = "the table has no \"" + name + "\"";
      return false;
    }
  }
  out = std::move(table);
  return true;
}

bool load_conventions(const std::filesystem::path& path, Conventions& out, std::string& error) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    error = "cannot read " + path.string();
    return false;
  }
  std::stringstream text;
  text << file.rdbuf();
  if (!parse_conventions(text.str(), out, error)) {
    error = path.string() + ": " + error;
    return false;
  }
  return true;
}

std::string conventions_json(const Conventions& conventions) {
  nlohmann::ordered_json actions = nlohmann::ordered_json::array();
  for (const ActionEffect& effect : conventions.actions) {
    nlohmann::ordered_json entry;
    entry["name"] = effect.name;
    entry["id"] = effect.id;
    entry["forward_cm"] = effect.forward_cm;
    entry["right_cm"] = effect.right_cm;
    entry["up_cm"] = effect.up_cm;
    entry["yaw_deg"] = effect.yaw_deg;
    entry["pitch_deg"] = effect.pitch_deg;
    entry["status"] = effect.status;
    entry["why"] = effect.why;
    actions.push_back(entry);
  }
  nlohmann::ordered_json document;
  document["actions"] = actions;
  return document.dump(2) + "\n";
}

const std::vector<std::string>& action_vocabulary() {
  static const std::vector<std::string> names = {"move_forward", "move_backward", "move_left",  "move_right", "turn_left",
                                                 "turn_right",   "look_up",       "look_down", "no_op"};
  return names;
}

std::string inverse_action(std::string_view name) {
  static const std::pair<const char*, const char*> pairs[] = {{"move_forward", "move_backward"},
                                                              {"move_left", "move_right"},
                                                              {"turn_left", "turn_right"},
                                                              {"look_up", "look_down"}};
  if (name == "no_op") return "no_op";
  for (const auto& [a, b] : pairs) {
    if (name == a) return b;
    if (name == b) return a;
  }
  return {};
}

std::vector<std::string> inverse_sequence(const std::vector<std::string>& actions) {
  std::vector<std::string> out;
  out.reserve(actions.size());
  for (auto it = actions.rbegin(); it != actions.rend(); ++it) out.push_back(inverse_action(*it));
  return out;
}

double wrap_degrees(double degrees) {
  if (!std::isfinite(degrees)) return degrees;
  double wrapped = std::fmod(degrees, 360.0);
  if (wrapped <= -180.0) wrapped += 360.0;
  if (wrapped > 180.0) wrapped -= 360.0;
  return wrapped;
}

Vec3 forward_of(double yaw_deg) { return {std::cos(radians(yaw_deg)), std::sin(radians(yaw_deg)), 0.0}; }
Vec3 right_of(double yaw_deg) { return {-std::sin(radians(yaw_deg)), std::cos(radians(yaw_deg)), 0.0}; }

Pose apply_action(const Pose& start, const ActionEffect& effect) {
  Pose end = start;
  Vec3 forward = forward_of(start.rotation_deg.y);
  Vec3 right = right_of(start.rotation_deg.y);
  end.position_cm.x += effect.forward_cm * forward.x + effect.right_cm * right.x;
  end.position_cm.y += effect.forward_cm * forward.y + effect.right_cm * right.y;
  end.position_cm.z += effect.up_cm;
  end.rotation_deg.x = start.rotation_deg.x + effect.pitch_deg;
  end.rotation_deg.y = start.rotation_deg.y + effect.yaw_deg;
  return end;
}

BodyDelta body_delta(const Pose& start, const Pose& end) {
  Vec3 forward = forward_of(start.rotation_deg.y);
  Vec3 right = right_of(start.rotation_deg.y);
  double dx = end.position_cm.x - start.position_cm.x;
  double dy = end.position_cm.y - start.position_cm.y;
  BodyDelta delta;
  delta.forward_cm = dx * forward.x + dy * forward.y;
  delta.right_cm = dx * right.x + dy * right.y;
  delta.up_cm = end.position_cm.z - start.position_cm.z;
  delta.yaw_deg = wrap_degrees(end.rotation_deg.y - start.rotation_deg.y);
  delta.pitch_deg = wrap_degrees(end.rotation_deg.x - start.rotation_deg.x);
  return delta;
}

double distance_cm(const Vec3& a, const Vec3& b) {
  return std::sqrt((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y) + (a.z - b.z) * (a.z - b.z));
}

}  // namespace idm::rsv
