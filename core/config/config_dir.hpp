#pragma once
// Where idmscope keeps per-user settings: $XDG_CONFIG_HOME/idmscope, else ~/.config/idmscope
// (else ./idmscope when neither variable is set, so a path always exists).
#include <filesystem>

namespace idm {

std::filesystem::path config_dir();

}  // namespace idm
