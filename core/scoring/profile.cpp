#include "scoring/profile.hpp"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "io/json_file.hpp"

namespace idm {

namespace {

using Json = nlohmann::json;

bool fail(std::string& error, const std::string& message) {
  error = message;
  return false;
}

bool read_int(const Json& object, const char* key, int min, int max, int& out, std::string& error) {
  if (!object.contains(key)) return fail(error, std::string("windows.") + key + " is missing");
  const Json& value = object[key];
  if (!value.is_number_integer() || value.get<int64_t>() < min || value.get<int64_t>() > max) {
    return fail(error, std::string("windows.") + key + " must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
  }
  out = value.get<int>();
  return true;
}

}  // namespace

bool parse_profile(std::string_view json_text, ScoringProfile& out, std::string& error) {
  Json root;
  try {
    root = Json::parse(json_text.begin(), json_text.end());
  } catch (const Json::parse_error&) {
    return fail(error, "not valid JSON: " + describe_json_syntax_error(json_text));
  }
  if (!root.is_object()) return fail(error, "$ must be an object");
  ScoringProfile profile;
  if (auto it = root.find("name"); it != root.end() && it->is_string()) profile.name = it->get<std::string>();
  if (auto it = root.find("description"); it != root.end() && it->is_string()) profile.description = it->get<std::string>();
  if (auto it = root.find("fps"); it != root.end()) {
    if (!it->is_number() || !(it->get<double>() > 0) || it->get<double>() > 1000) return fail(error, "fps must be a number in (0, 1000]");
    profile.fps = it->get<double>();
  }
  for (auto [key, field] : {std::pair{"coalesce", &profile.coalesce}, std::pair{"apply_overrides", &profile.apply_overrides},
                            std::pair{"signed_scroll", &profile.signed_scroll}}) {
    if (auto it = root.find(key); it != root.end()) {
      if (!it->is_boolean()) return fail(error, std::string(key) + " must be true or false");
      *field = it->get<bool>();
    }
  }
  if (auto it = root.find("types"); it != root.end()) {
    if (!it->is_array() || it->empty()) return fail(error, "types must be a non-empty array of type names");
    profile.scored.fill(false);
    for (const Json& name : *it) {
      ActionType type;
      if (!name.is_string() || !parse_action_type(name.get<std::string>(), type)) {
        return fail(error, "types: unknown type " + name.dump() + " (KeyPress, MouseClick, MouseScroll, MouseMove)");
      }
      profile.scored[static_cast<size_t>(type)] = true;
    }
  }
  if (auto it = root.find("tolerance"); it != root.end()) {
    if (it->is_number_integer()) {
      if (it->get<int64_t>() < 0 || it->get<int64_t>() > 1000) return fail(error, "tolerance must be 0..1000");
      profile.tolerance_frames.fill(it->get<int>());
    } else if (it->is_object()) {
      for (const auto& [name, value] : it->items()) {
        ActionType type;
        if (!parse_action_type(name, type)) return fail(error, "tolerance: unknown type \"" + name + "\"");
        if (!value.is_number_integer() || value.get<int64_t>() < 0 || value.get<int64_t>() > 1000) {
          return fail(error, "tolerance." + name + " must be an integer 0..1000");
        }
        profile.tolerance_frames[static_cast<size_t>(type)] = value.get<int>();
      }
    } else {
      return fail(error, "tolerance must be an integer or {type: frames}");
    }
  }
  if (auto it = root.find("excluded_labels"); it != root.end()) {
    if (!it->is_array()) return fail(error, "excluded_labels must be an array of label names");
    for (const Json& name : *it) {
      Visibility visibility;
      if (!name.is_string() || !parse_visibility(name.get<std::string>(), visibility)) {
        return fail(error, "excluded_labels: unknown label " + name.dump());
      }
      profile.excluded[static_cast<size_t>(visibility)] = true;
    }
  }
  if (auto it = root.find("windows"); it != root.end() && !it->is_null()) {
    if (!it->is_object()) return fail(error, "windows must be null or {size, stride, keep_first, keep_last}");
    WindowSpec spec;
    if (!read_int(*it, "size", 1, 1000, spec.size, error) || !read_int(*it, "stride", 1, 1000, spec.stride, error) ||
        !read_int(*it, "keep_first", 0, 999, spec.keep_first, error) ||
        !read_int(*it, "keep_last", 0, 999, spec.keep_last, error)) {
      return false;
    }
    if (spec.keep_first > spec.keep_last || spec.keep_last >= spec.size) {
      return fail(error, "windows: need keep_first <= keep_last < size");
    }
    profile.windows = spec;
  }
  out = profile;
  return true;
}

std::filesystem::path assets_dir() {
  if (const char* env = std::getenv("IDMSCOPE_ASSETS"); env && *env) return env;
  std::error_code code;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", code);
  if (!code) {
    for (auto candidate : {exe.parent_path() / "assets", exe.parent_path().parent_path() / "share/idmscope/assets"}) {
      if (std::filesystem::is_directory(candidate / "profiles", code)) return candidate;
    }
  }
  return IDMSCOPE_ASSETS_DIR;
}

bool load_profile(const std::string& name_or_path, ScoringProfile& out, std::string& error) {
  std::filesystem::path path = name_or_path;
  bool is_path = name_or_path.find('/') != std::string::npos || path.extension() == ".json";
  if (!is_path) path = assets_dir() / "profiles" / (name_or_path + ".json");
  JsonText text;
  if (!read_json_text(path, kMaxSmallJsonBytes, text, error)) {
    if (!is_path) error = "no profile named '" + name_or_path + "' (" + path.string() + ": " + error + ")";
    else error = path.string() + ": " + error;
    return false;
  }
  if (!parse_profile(text.view(), out, error)) {
    error = path.string() + ": " + error;
    return false;
  }
  if (out.name.empty()) out.name = path.stem().string();
  return true;
}

}  // namespace idm
