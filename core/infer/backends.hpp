#pragma once
// Constructors of the concrete backends (one source file each).
#include "infer/backend.hpp"

namespace idm::infer {
std::unique_ptr<Backend> make_baseline_backend();
std::unique_ptr<Backend> make_openai_backend(const nlohmann::json& config, std::string& error);
std::unique_ptr<Backend> make_command_backend(const nlohmann::json& config, std::string& error);
}  // namespace idm::infer
