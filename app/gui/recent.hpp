#pragma once
// The recent-datasets list, kept in $XDG_CONFIG_HOME/idmscope/recent.json (or
// ~/.config/idmscope/recent.json). Written atomically; other keys in the file survive.
#include <filesystem>
#include <string>
#include <vector>

namespace idm::gui {

std::filesystem::path recent_file_path();
std::vector<std::string> load_recent_datasets();
// Moves `dataset` to the front (at most 10 kept). Returns false with error when it cannot save.
bool remember_dataset(const std::string& dataset, std::string& error);

}  // namespace idm::gui
