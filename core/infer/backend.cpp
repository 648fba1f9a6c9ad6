#include "infer/backend.hpp"

#include "infer/backends.hpp"

namespace idm::infer {

std::unique_ptr<Backend> make_backend(const nlohmann::json& config, std::string& error) {
  if (!config.is_object() || !config.contains("name") || !config["name"].is_string()) {
    error = "backend: expected an object with a string \"name\"";
    return nullptr;
  }
  std::string name = config["name"].get<std::string>();
  if (name == "baseline") return make_baseline_backend();
  if (name == "openai") return make_openai_backend(config, error);
  if (name == "command") return make_command_backend(config, error);
  error = "backend.name: unknown backend \"" + name + "\" (expected baseline, openai or command)";
  return nullptr;
}

int default_max_edge_px(const std::string& backend_name) { return backend_name == "baseline" ? 0 : 1280; }

}  // namespace idm::infer
