#pragma once
// The `_meta.json` reader (rsv.md §2): every rule, each problem a Diagnostic naming the file
// and a JSON pointer. The whole document is kept, so unknown keys survive.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "rsv/kinematics.hpp"
#include "rsv/types.hpp"

namespace idm::rsv {

struct StepRecord {
  int step = 0;
  std::string action;
  int action_id = -1;
  Pose start;           // start_pos, start_rot
  Vec3 expected_end_pos;
  Pose actual_end;      // actual_end_pos, actual_end_rot
  bool collision = false;
  double collision_displacement_cm = 0.0;
};

struct RsvMeta {
  nlohmann::ordered_json document;  // the whole file, unknown keys included
  bool parsed = false;              // valid JSON object

  std::optional<int64_t> trajectory_id;
  std::string trajectory_type;      // inverse | loop | equivalence (empty when invalid)
  bool is_paired = false;
  std::string role;                 // path_A | path_B
  std::optional<int64_t> primary_trajectory_id;
  std::optional<int64_t> partner_trajectory_id;
  bool has_collision = false;
  int64_t collision_count = 0;
  int total_steps = 0;
  int frames_per_step = 0;
  int total_frames = 0;
  int width = 0;                    // render_config.resolution
  int height = 0;
  std::vector<std::string> modalities;
  std::optional<Pose> root;
  std::vector<std::string> actions;  // action_sequence
  std::vector<int> collision_mask;
  std::vector<StepRecord> steps;
  bool steps_valid = false;          // every step record is complete and consistent with the sequence
  double video_fps = 0.0;            // video_encoding.fps (0 when missing)
  int video_width = 0;               // video_encoding.resolution "WxH"
  int video_height = 0;
};

// What the file's name and folder say, checked against its content.
struct MetaExpectations {
  std::optional<int64_t> tid;  // from the name
  std::string relation;        // from a known split name ("" for another split)
  char name_role = 0;          // 'A' / 'B' for a pair half, 0 for a single
  const Conventions* conventions = nullptr;  // the vocabulary and action ids
};

// Parses and validates `text`; appends diagnostics labelled with `file_label`.
RsvMeta read_meta_text(std::string_view text, const std::string& file_label, const MetaExpectations& expect,
                       std::vector<Diagnostic>& diagnostics);
RsvMeta read_meta_file(const std::filesystem::path& path, const std::string& file_label,
                       const MetaExpectations& expect, std::vector<Diagnostic>& diagnostics);

// "line L, column C" of a byte offset.
std::string line_and_column(std::string_view text, size_t byte_offset);

}  // namespace idm::rsv
