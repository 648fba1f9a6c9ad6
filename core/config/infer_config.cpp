#include "config/infer_config.hpp"

#include <fstream>
#include <sstream>

#include "config/config_dir.hpp"
#include "io/atomic_write.hpp"

namespace idm {

namespace {

// The whole file as an ordered object (so a save keeps the user's key order).
bool read_document(const std::filesystem::path& path, nlohmann::ordered_json& doc, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) {
    error = path.string() + ": cannot read";
    return false;
  }
  doc = nlohmann::ordered_json::parse(text.str(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    error = path.string() + ": not a JSON object";
    return false;
  }
  return true;
}

}  // namespace

std::filesystem::path default_infer_config_path() { return config_dir() / "infer.json"; }

bool read_infer_config_section(const std::filesystem::path& path, bool required, const std::string& section,
                               nlohmann::json& out, std::string& error) {
  out = nlohmann::json::object();
  std::error_code code;
  if (path.empty() || !std::filesystem::exists(path, code)) {
    if (required) error = path.string() + ": not found";
    return !required;
  }
  nlohmann::ordered_json doc;
  if (!read_document(path, doc, error)) return false;
  if (!doc.contains(section)) return true;
  if (!doc[section].is_object()) {
    error = path.string() + ": $." + section + " is not an object";
    return false;
  }
  out = nlohmann::json::parse(doc[section].dump());
  return true;
}

namespace {

// Sets `target`'s keys from `values`, object into object; a null value removes the key, and
// keys `values` does not mention survive (a user's hand-written "timeout_s", say).
void merge_into(nlohmann::ordered_json& target, const nlohmann::json& values) {
  if (!target.is_object()) target = nlohmann::ordered_json::object();
  for (auto it = values.begin(); it != values.end(); ++it) {
    if (it.value().is_null()) target.erase(it.key());
    else if (it.value().is_object()) merge_into(target[it.key()], it.value());
    else target[it.key()] = nlohmann::ordered_json::parse(it.value().dump());
  }
}

// Reads the file (or starts an empty object), lets `change` edit it, writes it atomically.
template <typename Change>
bool update_document(const std::filesystem::path& path, Change change, std::string& error) {
  nlohmann::ordered_json doc = nlohmann::ordered_json::object();
  std::error_code code;
  if (std::filesystem::exists(path, code) && !read_document(path, doc, error)) {
    error += " (left as it is; fix or move it to save new defaults)";
    return false;
  }
  change(doc);
  std::filesystem::create_directories(path.parent_path(), code);
  if (code) {
    error = "cannot create " + path.parent_path().string() + ": " + code.message();
    return false;
  }
  return write_file_atomically(path, doc.dump(2) + "\n", error);
}

}  // namespace

bool write_infer_config_section(const std::filesystem::path& path, const std::string& section, const nlohmann::json& values,
                                std::string& error) {
  if (!values.is_object()) {
    error = "the settings for " + section + " are not an object";
    return false;
  }
  return update_document(
      path,
      [&](nlohmann::ordered_json& doc) { merge_into(doc[section], values); },
      error);
}

std::string read_infer_default_backend(const std::filesystem::path& path) {
  std::error_code code;
  if (path.empty() || !std::filesystem::exists(path, code)) return {};
  nlohmann::ordered_json doc;
  std::string error;
  if (!read_document(path, doc, error) || !doc.contains("default_backend") || !doc["default_backend"].is_string()) return {};
  return doc["default_backend"].get<std::string>();
}

bool write_infer_default_backend(const std::filesystem::path& path, const std::string& backend, std::string& error) {
  return update_document(path, [&](nlohmann::ordered_json& doc) { doc["default_backend"] = backend; }, error);
}

}  // namespace idm
