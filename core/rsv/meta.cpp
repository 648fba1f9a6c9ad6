#include "rsv/meta.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace idm::rsv {

namespace {

using Json = nlohmann::ordered_json;

constexpr uint64_t kMaxMetaBytes = 64ull << 20;

std::string describe(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::boolean: return value.get<bool>() ? "true" : "false";
    case Json::value_t::string: {
      std::string text = value.get<std::string>();
      if (text.size() > 40) text = text.substr(0, 40) + "...";
      return "\"" + text + "\"";
    }
    case Json::value_t::array: return "an array";
    case Json::value_t::object: return "an object";
    default: return value.dump();
  }
}

bool is_placeholder(const Json& value) { return value.is_string() && value.get<std::string>() == "..."; }

// Collects diagnostics for one file and reads typed values at JSON pointers.
class Reader {
 public:
  Reader(const std::string& file, std::vector<Diagnostic>& out) : file_(file), out_(out) {}

  void add(Severity severity, const std::string& pointer, const std::string& message) {
    out_.push_back({severity, file_, pointer, message});
  }
  void error(const std::string& pointer, const std::string& message) { add(Severity::Error, pointer, message); }

  // A value of the wrong kind; a "..." placeholder gets its own explanation.
  void wrong(const std::string& pointer, const Json& value, const std::string& wanted) {
    if (is_placeholder(value)) {
      error(pointer, "the placeholder \"...\" stands where " + wanted +
                         " belongs (the card's example abbreviates; this file is not the full record)");
    } else {
      error(pointer, "expected " + wanted + ", found " + describe(value));
    }
  }

  const Json* field(const Json& object, const std::string& pointer, const char* key, Severity missing = Severity::Error) {
    if (!object.is_object()) return nullptr;
    auto found = object.find(key);
    if (found == object.end()) {
      add(missing, pointer.empty() ? key : pointer + "/" + key, "missing");
      return nullptr;
    }
    return &*found;
  }

  std::optional<int64_t> integer(const Json& value, const std::string& pointer) {
    if (value.is_number_integer()) return value.get<int64_t>();
    if (value.is_number_float()) {
      double number = value.get<double>();
      if (std::isfinite(number) && number == std::floor(number) && std::fabs(number) < 9e15) return static_cast<int64_t>(number);
    }
    wrong(pointer, value, "an integer");
    return std::nullopt;
  }

  std::optional<double> number(const Json& value, const std::string& pointer) {
    if (value.is_number()) return value.get<double>();
    wrong(pointer, value, "a number");
    return std::nullopt;
  }

  std::optional<bool> boolean(const Json& value, const std::string& pointer) {
    if (value.is_boolean()) return value.get<bool>();
    wrong(pointer, value, "true or false");
    return std::nullopt;
  }

  std::optional<Vec3> vec3(const Json& value, const std::string& pointer) {
    if (!value.is_array() || value.size() != 3) {
      wrong(pointer, value, "an array of 3 numbers");
      return std::nullopt;
    }
    double parts[3];
    for (size_t i = 0; i < 3; ++i) {
      if (!value[i].is_number()) {
        wrong(pointer + "/" + std::to_string(i), value[i], "a number");
        return std::nullopt;
      }
      parts[i] = value[i].get<double>();
    }
    return Vec3{parts[0], parts[1], parts[2]};
  }

 private:
  const std::string& file_;
  std::vector<Diagnostic>& out_;
};


void read_paired(Reader& reader, const Json& root, RsvMeta& meta, const MetaExpectations& expect) {
  const Json* paired = reader.field(root, "", "paired_trajectory");
  if (!paired) return;
  if (!paired->is_object()) {
    reader.wrong("paired_trajectory", *paired, "an object");
    return;
  }
  const Json* is_paired = reader.field(*paired, "paired_trajectory", "is_paired");
  if (is_paired) {
    if (auto value = reader.boolean(*is_paired, "paired_trajectory/is_paired")) meta.is_paired = *value;
  }
  bool should_pair = meta.trajectory_type == "equivalence" || expect.name_role != 0;
  if (is_paired && is_paired->is_boolean() && meta.is_paired != should_pair) {
    reader.error("paired_trajectory/is_paired", meta.is_paired ? "true, but this is not an equivalence trajectory"
                                                               : "false, but an equivalence trajectory is one half of a pair");
  }
  if (!meta.is_paired) return;
  if (const Json* role = reader.field(*paired, "paired_trajectory", "role")) {
    if (role->is_string() && (role->get<std::string>() == "path_A" || role->get<std::string>() == "path_B")) {
      meta.role = role->get<std::string>();
      if (expect.name_role && meta.role != std::string("path_") + expect.name_role) {
        reader.error("paired_trajectory/role", "\"" + meta.role + "\", but the file name says _" +
                                                   std::string(1, expect.name_role) + "_");
      }
    } else {
      reader.wrong("paired_trajectory/role", *role, "\"path_A\" or \"path_B\"");
    }
  }
  if (const Json* primary = reader.field(*paired, "paired_trajectory", "primary_trajectory_id")) {
    meta.primary_trajectory_id = reader.integer(*primary, "paired_trajectory/primary_trajectory_id");
  }
  if (const Json* partner = reader.field(*paired, "paired_trajectory", "partner_trajectory_id")) {
    meta.partner_trajectory_id = reader.integer(*partner, "paired_trajectory/partner_trajectory_id");
  }
}

void read_render_config(Reader& reader, const Json& root, RsvMeta& meta) {
  const Json* config = reader.field(root, "", "render_config");
  if (!config) return;
  if (!config->is_object()) {
    reader.wrong("render_config", *config, "an object");
    return;
  }
  if (const Json* resolution = reader.field(*config, "render_config", "resolution")) {
    if (resolution->is_array() && resolution->size() == 2 && (*resolution)[0].is_number_integer() &&
        (*resolution)[1].is_number_integer() && (*resolution)[0].get<int64_t>() > 0 && (*resolution)[1].get<int64_t>() > 0 &&
        (*resolution)[0].get<int64_t>() < 100000 && (*resolution)[1].get<int64_t>() < 100000) {
      meta.width = static_cast<int>((*resolution)[0].get<int64_t>());
      meta.height = static_cast<int>((*resolution)[1].get<int64_t>());
    } else {
      reader.wrong("render_config/resolution", *resolution, "[width, height] in pixels");
    }
  }
  if (const Json* fov = reader.field(*config, "render_config", "fov", Severity::Warning)) {
    if (!fov->is_number()) reader.add(Severity::Warning, "render_config/fov", "expected a number, found " + describe(*fov));
    else if (std::fabs(fov->get<double>() - 79.0) > 1e-6)
      reader.add(Severity::Warning, "render_config/fov", "the card's FOV is 79.0, this file says " + fov->dump());
  }
  if (const Json* modalities = reader.field(*config, "render_config", "modalities", Severity::Note)) {
    if (modalities->is_array()) {
      for (size_t i = 0; i < modalities->size(); ++i) {
        if ((*modalities)[i].is_string()) meta.modalities.push_back((*modalities)[i].get<std::string>());
        else reader.add(Severity::Warning, "render_config/modalities/" + std::to_string(i), "not a name: " + describe((*modalities)[i]));
      }
    } else {
      reader.add(Severity::Warning, "render_config/modalities", "expected a list of names, found " + describe(*modalities));
    }
  }
}

void read_root_state(Reader& reader, const Json& root, RsvMeta& meta) {
  const Json* state = reader.field(root, "", "root_state");
  if (!state) return;
  if (!state->is_object()) {
    reader.wrong("root_state", *state, "an object");
    return;
  }
  const Json* position = reader.field(*state, "root_state", "position");
  const Json* rotation = reader.field(*state, "root_state", "rotation");
  std::optional<Vec3> p = position ? reader.vec3(*position, "root_state/position") : std::nullopt;
  std::optional<Vec3> r = rotation ? reader.vec3(*rotation, "root_state/rotation") : std::nullopt;
  if (p && r) meta.root = Pose{*p, *r};
}

bool read_steps(Reader& reader, const Json& root, RsvMeta& meta, const MetaExpectations& expect) {
  const Json* steps = reader.field(root, "", "steps");
  if (!steps) return false;
  if (!steps->is_array()) {
    reader.wrong("steps", *steps, "an array of step records");
    return false;
  }
  bool valid = true;
  if (meta.total_steps > 0 && static_cast<int>(steps->size()) != meta.total_steps) {
    reader.error("steps", std::to_string(steps->size()) + " records, total_steps says " + std::to_string(meta.total_steps));
    valid = false;
  }
  int missing_frame_dir = 0;
  for (size_t k = 0; k < steps->size(); ++k) {
    const Json& entry = (*steps)[k];
    std::string base = "steps/" + std::to_string(k);
    if (!entry.is_object()) {
      reader.wrong(base, entry, "a step record");
      valid = false;
      continue;
    }
    StepRecord step;
    bool ok = true;
    auto need = [&](const char* key) { const Json* v = reader.field(entry, base, key); ok = ok && v; return v; };
    if (const Json* value = need("step")) {
      auto number = reader.integer(*value, base + "/step");
      if (number && *number != static_cast<int64_t>(k)) {
        reader.error(base + "/step", "is " + std::to_string(*number) + ", expected " + std::to_string(k));
        ok = false;
      }
      ok = ok && number;
      step.step = static_cast<int>(k);
    }
    if (const Json* value = need("action")) {
      if (value->is_string() && !is_placeholder(*value)) {
        step.action = value->get<std::string>();
        if (expect.conventions && !expect.conventions->find(step.action)) {
          reader.error(base + "/action", "unknown action \"" + step.action + "\"");
          ok = false;
        } else if (k < meta.actions.size() && meta.actions[k] != step.action) {
          reader.error(base + "/action", "\"" + step.action + "\", but action_sequence/" + std::to_string(k) + " is \"" +
                                             meta.actions[k] + "\"");
          ok = false;
        }
      } else {
        reader.wrong(base + "/action", *value, "an action name");
        ok = false;
      }
    }
    if (const Json* value = need("action_id")) {
      auto id = reader.integer(*value, base + "/action_id");
      ok = ok && id;
      if (id) {
        step.action_id = static_cast<int>(*id);
        const ActionEffect* effect = expect.conventions ? expect.conventions->find(step.action) : nullptr;
        if (effect && effect->id != step.action_id) {
          reader.add(Severity::Warning, base + "/action_id",
                     std::to_string(*id) + " for " + step.action + ", the conventions table says " + std::to_string(effect->id));
        }
      }
    }
    auto vector_field = [&](const char* key, Vec3& target) {
      if (const Json* value = need(key)) {
        auto parsed = reader.vec3(*value, base + "/" + key);
        if (parsed) target = *parsed;
        else ok = false;
      }
    };
    vector_field("start_pos", step.start.position_cm);
    vector_field("start_rot", step.start.rotation_deg);
    vector_field("expected_end_pos", step.expected_end_pos);
    vector_field("actual_end_pos", step.actual_end.position_cm);
    vector_field("actual_end_rot", step.actual_end.rotation_deg);
    if (const Json* value = need("collision")) {
      auto flag = reader.boolean(*value, base + "/collision");
      ok = ok && flag;
      if (flag) step.collision = *flag;
    }
    if (const Json* value = need("collision_displacement")) {
      auto displacement = reader.number(*value, base + "/collision_displacement");
      ok = ok && displacement;
      if (displacement) {
        step.collision_displacement_cm = *displacement;
        if (*displacement < 0) {
          reader.error(base + "/collision_displacement", "negative (" + value->dump() + ")");
          ok = false;
        }
      }
    }
    if (!entry.contains("frame_dir")) ++missing_frame_dir;
    valid = valid && ok;
    meta.steps.push_back(step);
  }
  if (missing_frame_dir > 0) {
    reader.add(Severity::Note, "steps", std::to_string(missing_frame_dir) + " of " + std::to_string(steps->size()) +
                                            " step records have no frame_dir");
  }
  if (!meta.actions.empty() && meta.actions.size() != steps->size()) valid = false;
  return valid;
}

void read_collisions(Reader& reader, const Json& root, RsvMeta& meta) {
  const Json* has = reader.field(root, "", "has_collision");
  const Json* count = reader.field(root, "", "collision_count");
  if (has) {
    if (auto value = reader.boolean(*has, "has_collision")) meta.has_collision = *value;
  }
  if (count) {
    if (auto value = reader.integer(*count, "collision_count")) meta.collision_count = *value;
  }
  int64_t in_mask = 0;
  for (int flag : meta.collision_mask) in_mask += flag;
  int64_t in_steps = 0;
  for (const StepRecord& step : meta.steps) in_steps += step.collision ? 1 : 0;
  if (count && count->is_number() && !meta.collision_mask.empty() && meta.collision_count != in_mask) {
    reader.error("collision_count", std::to_string(meta.collision_count) + ", but collision_mask has " +
                                        std::to_string(in_mask) + " collisions");
  }
  if (!meta.collision_mask.empty() && meta.steps.size() == meta.collision_mask.size()) {
    for (size_t k = 0; k < meta.steps.size(); ++k) {
      if (meta.steps[k].collision != (meta.collision_mask[k] == 1)) {
        reader.error("steps/" + std::to_string(k) + "/collision",
                     std::string(meta.steps[k].collision ? "true" : "false") + ", but collision_mask/" + std::to_string(k) +
                         " is " + std::to_string(meta.collision_mask[k]));
      }
    }
  }
  if (has && has->is_boolean() && meta.has_collision != (in_mask + in_steps > 0)) {
    reader.error("has_collision", std::string(meta.has_collision ? "true" : "false") + ", but the steps record " +
                                      std::to_string(std::max(in_mask, in_steps)) + " collisions");
  }
  if (in_mask + in_steps > 0) {
    for (size_t k = 0; k < meta.steps.size(); ++k) {
      if (meta.steps[k].collision) {
        char text[160];
        std::snprintf(text, sizeof text, "collision at step %zu (%s, displaced %.1f cm): the release is meant to be collision-free",
                      k, meta.steps[k].action.c_str(), meta.steps[k].collision_displacement_cm);
        reader.add(Severity::Warning, "steps/" + std::to_string(k) + "/collision", text);
      }
    }
  }
}

void read_video_encoding(Reader& reader, const Json& root, RsvMeta& meta) {
  const Json* encoding = reader.field(root, "", "video_encoding");
  if (!encoding) return;
  if (!encoding->is_object()) {
    reader.wrong("video_encoding", *encoding, "an object");
    return;
  }
  if (const Json* fps = reader.field(*encoding, "video_encoding", "fps")) {
    if (auto value = reader.number(*fps, "video_encoding/fps")) {
      if (*value > 0 && *value < 1000) meta.video_fps = *value;
      else reader.error("video_encoding/fps", "not a frame rate: " + fps->dump());
    }
  }
  if (const Json* resolution = reader.field(*encoding, "video_encoding", "resolution")) {
    int w = 0, h = 0;
    char extra = 0;
    if (resolution->is_string() &&
        std::sscanf(resolution->get<std::string>().c_str(), "%dx%d%c", &w, &h, &extra) == 2 && w > 0 && h > 0) {
      meta.video_width = w;
      meta.video_height = h;
    } else {
      reader.wrong("video_encoding/resolution", *resolution, "\"WIDTHxHEIGHT\"");
    }
  }
  reader.field(*encoding, "video_encoding", "crf", Severity::Note);
  reader.field(*encoding, "video_encoding", "codec", Severity::Note);
}

}  // namespace

std::string line_and_column(std::string_view text, size_t byte_offset) {
  byte_offset = std::min(byte_offset, text.size());
  size_t line = 1, column = 1;
  for (size_t i = 0; i < byte_offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

RsvMeta read_meta_text(std::string_view text, const std::string& file_label, const MetaExpectations& expect,
                       std::vector<Diagnostic>& diagnostics) {
  RsvMeta meta;
  Reader reader(file_label, diagnostics);
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  try {
    meta.document = Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& failure) {
    // nlohmann counts the offending byte 1-based; NaN, Infinity and truncation all land here.
    size_t at = failure.byte > 0 ? failure.byte - 1 : 0;
    std::string what = failure.what();
    size_t detail = what.find("syntax error while parsing value - ");
    std::string reason = detail != std::string::npos ? what.substr(detail + 35) : what;
    reader.error("", "not JSON at " + line_and_column(text, at) + ": " + reason);
    return meta;
  } catch (const Json::exception& failure) {
    // A number beyond a double (1e999) is an out_of_range, not a parse_error.
    std::string what = failure.what();
    size_t detail = what.find("] ");
    reader.error("", "not JSON: " + (detail != std::string::npos ? what.substr(detail + 2) : what));
    return meta;
  }
  if (!meta.document.is_object()) {
    reader.error("", "expected a JSON object, found " + describe(meta.document));
    return meta;
  }
  meta.parsed = true;
  const Json& root = meta.document;

  if (const Json* id = reader.field(root, "", "trajectory_id")) {
    meta.trajectory_id = reader.integer(*id, "trajectory_id");
    if (meta.trajectory_id && expect.tid && *meta.trajectory_id != *expect.tid) {
      reader.error("trajectory_id", std::to_string(*meta.trajectory_id) + ", but the file name says traj_" +
                                        std::to_string(*expect.tid));
    }
  }
  if (const Json* type = reader.field(root, "", "trajectory_type")) {
    if (type->is_string() && (type->get<std::string>() == "inverse" || type->get<std::string>() == "loop" ||
                              type->get<std::string>() == "equivalence")) {
      meta.trajectory_type = type->get<std::string>();
      if (!expect.relation.empty() && meta.trajectory_type != expect.relation) {
        reader.error("trajectory_type", "\"" + meta.trajectory_type + "\" in a " + expect.relation + " split");
        meta.trajectory_type.clear();
      }
    } else {
      reader.wrong("trajectory_type", *type, "\"inverse\", \"loop\" or \"equivalence\"");
    }
  }
  for (const char* key : {"data_type", "algebraic_property"}) {
    if (const Json* value = reader.field(root, "", key, Severity::Note)) {
      if (!value->is_string()) reader.add(Severity::Note, key, "expected text, found " + describe(*value));
    }
  }
  read_paired(reader, root, meta, expect);

  auto read_count = [&](const char* key, int card_value, int& target) {
    if (const Json* value = reader.field(root, "", key)) {
      if (auto number = reader.integer(*value, key)) {
        if (*number <= 0 || *number > 100000) {
          reader.error(key, "out of range: " + std::to_string(*number));
          return;
        }
        target = static_cast<int>(*number);
        if (target != card_value) {
          reader.add(Severity::Warning, key, std::to_string(target) + ", the card says " + std::to_string(card_value));
        }
      }
    }
  };
  read_count("total_steps", 40, meta.total_steps);
  read_count("frames_per_step", 9, meta.frames_per_step);
  read_count("total_frames", 360, meta.total_frames);
  if (meta.total_steps && meta.frames_per_step && meta.total_frames &&
      meta.total_frames != meta.total_steps * meta.frames_per_step) {
    reader.error("total_frames", std::to_string(meta.total_frames) + " != total_steps x frames_per_step = " +
                                     std::to_string(meta.total_steps * meta.frames_per_step));
  }
  read_render_config(reader, root, meta);
  read_root_state(reader, root, meta);

  bool actions_ok = false;
  if (const Json* sequence = reader.field(root, "", "action_sequence")) {
    if (sequence->is_array()) {
      actions_ok = true;
      for (size_t k = 0; k < sequence->size(); ++k) {
        const Json& name = (*sequence)[k];
        std::string pointer = "action_sequence/" + std::to_string(k);
        if (!name.is_string() || is_placeholder(name)) {
          reader.wrong(pointer, name, "an action name");
          actions_ok = false;
        } else if (expect.conventions && !expect.conventions->find(name.get<std::string>())) {
          reader.error(pointer, "unknown action \"" + name.get<std::string>() + "\"");
          actions_ok = false;
        }
        meta.actions.push_back(name.is_string() ? name.get<std::string>() : std::string());
      }
      if (meta.total_steps && static_cast<int>(sequence->size()) != meta.total_steps) {
        reader.error("action_sequence", std::to_string(sequence->size()) + " actions, total_steps says " +
                                            std::to_string(meta.total_steps));
        actions_ok = false;
      }
    } else {
      reader.wrong("action_sequence", *sequence, "a list of action names");
    }
  }
  if (const Json* mask = reader.field(root, "", "collision_mask")) {
    if (mask->is_array()) {
      for (size_t k = 0; k < mask->size(); ++k) {
        const Json& flag = (*mask)[k];
        if (flag.is_number_integer() && (flag.get<int64_t>() == 0 || flag.get<int64_t>() == 1)) {
          meta.collision_mask.push_back(static_cast<int>(flag.get<int64_t>()));
        } else {
          reader.wrong("collision_mask/" + std::to_string(k), flag, "0 or 1");
          meta.collision_mask.clear();
          break;
        }
      }
      if (!meta.collision_mask.empty() && meta.total_steps && static_cast<int>(mask->size()) != meta.total_steps) {
        reader.error("collision_mask", std::to_string(mask->size()) + " flags, total_steps says " + std::to_string(meta.total_steps));
      }
    } else {
      reader.wrong("collision_mask", *mask, "a list of 0/1 flags");
    }
  }
  meta.steps_valid = read_steps(reader, root, meta, expect) && actions_ok && meta.root.has_value();
  read_collisions(reader, root, meta);
  read_video_encoding(reader, root, meta);
  return meta;
}

RsvMeta read_meta_file(const std::filesystem::path& path, const std::string& file_label, const MetaExpectations& expect,
                       std::vector<Diagnostic>& diagnostics) {
  std::error_code code;
  auto size = std::filesystem::file_size(path, code);
  if (code) {
    diagnostics.push_back({Severity::Error, file_label, "", "cannot read: " + code.message()});
    return {};
  }
  if (size > kMaxMetaBytes) {
    diagnostics.push_back({Severity::Error, file_label, "", "too large for a metadata file (" + std::to_string(size) + " bytes)"});
    return {};
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    diagnostics.push_back({Severity::Error, file_label, "", "cannot open"});
    return {};
  }
  std::string text(size, '\0');
  file.read(text.data(), static_cast<std::streamsize>(size));
  if (static_cast<uint64_t>(file.gcount()) != size) {
    diagnostics.push_back({Severity::Error, file_label, "", "short read"});
    return {};
  }
  if (text.empty()) {
    diagnostics.push_back({Severity::Error, file_label, "", "empty file"});
    return {};
  }
  return read_meta_text(text, file_label, expect, diagnostics);
}

}  // namespace idm::rsv
