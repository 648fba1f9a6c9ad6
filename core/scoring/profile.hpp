#pragma once
// Spec §7 [ours]: a scoring profile is data (assets/profiles/*.json) so users can add one.
#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "model/actions.hpp"
#include "model/labels.hpp"
#include "scoring/windows.hpp"

namespace idm {

struct ScoringProfile {
  std::string name;
  std::string description;
  double fps = 5.0;
  bool coalesce = true;
  bool apply_overrides = false;
  std::array<bool, kActionTypeCount> scored{true, true, true, false};  // by ActionType
  std::array<int, kActionTypeCount> tolerance_frames{2, 2, 2, 0};
  std::array<bool, kVisibilityCount> excluded{};  // by Visibility: matches become neutral
  std::optional<WindowSpec> windows;
  bool signed_scroll = false;
};

// Parses a profile document; error names the field that is wrong.
bool parse_profile(std::string_view json_text, ScoringProfile& out, std::string& error);

// NAME (looked up in the assets' profiles folder) or a path to a .json file.
bool load_profile(const std::string& name_or_path, ScoringProfile& out, std::string& error);

// The assets folder: $IDMSCOPE_ASSETS, else next to the executable, else the source tree.
std::filesystem::path assets_dir();

}  // namespace idm
