#pragma once
// annotations.json, gt_overrides.json and the gesture GT files (spec §5). Each reader keeps
// the file's raw JSON so unknown keys and unknown clips survive a later save.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "model/labels.hpp"

namespace idm {

struct AnnotationsFile {
  bool present = false;
  nlohmann::ordered_json raw = nlohmann::ordered_json::object();
  std::map<std::string, ClipLabels> clips;
  std::vector<std::string> warnings;  // "annotations.json: $[\"key\"][\"7\"]: ..." style
};

struct OverridesFile {
  bool present = false;
  nlohmann::ordered_json raw = nlohmann::ordered_json::object();
  std::map<std::string, ClipOverrides> clips;
  std::vector<std::string> warnings;
};

struct GestureEntry {
  int frame = 0;
  std::string type;     // "MouseMove" or "MouseScroll"
  std::string details;  // "dx,dy" or "s"
};

struct GestureFile {
  bool present = false;
  std::map<std::string, std::vector<GestureEntry>> clips;
  std::vector<std::string> warnings;
};

// Per-clip decoders, shared by the file readers and the tests. `location` prefixes warnings.
ClipLabels parse_clip_labels(const nlohmann::ordered_json& value, const std::string& location,
                             std::vector<std::string>& warnings);
ClipOverrides parse_clip_overrides(const nlohmann::ordered_json& value, const std::string& location);

// Read a side file. A missing file is not an error (present stays false). Returns false,
// with error naming what is wrong, when the file exists but cannot be used at all.
bool read_annotations(const std::filesystem::path& path, AnnotationsFile& out, std::string& error);
bool read_overrides(const std::filesystem::path& path, OverridesFile& out, std::string& error);
bool read_gesture_file(const std::filesystem::path& path, GestureFile& out, std::string& error);

// The same for content already in memory (an unfinished save's pending copy): `name` is the file
// name that warnings start with. A UTF-8 BOM is skipped.
bool parse_annotations_text(std::string_view text, const std::string& name, AnnotationsFile& out, std::string& error);
bool parse_overrides_text(std::string_view text, const std::string& name, OverridesFile& out, std::string& error);

// Parses a JSON document held in memory (for the fuzzers and tests).
bool parse_side_json(std::string_view text, nlohmann::ordered_json& out, std::string& error);

// "F08" or 8 -> 8.
bool parse_frame_value(const nlohmann::ordered_json& value, int& frame);

}  // namespace idm
