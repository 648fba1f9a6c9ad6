#pragma once
// Rollout runs on disk (rsv.md §6): DIR/.idmscope/rollouts/RUN/<split>/<stem>.mp4, or a folder
// <stem>/ of numbered PNGs (or <stem>/rollout.mp4, what a rollout program writes), with an
// optional <stem>.rollout.json sidecar; run.json describes the run. Unknown keys in run.json
// and sidecars survive a rewrite.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace idm::rsv_eval {

// <release root>/.idmscope/rollouts/<run>
std::filesystem::path run_dir(const std::filesystem::path& release_root, const std::string& run);
// A run name is one path component of letters, digits, '-', '_', '.' (not starting with '.').
bool valid_run_name(const std::string& run, std::string& why);

// What the sidecar says; defaults = the GT's grid (16 fps, 9 frames per step, no context).
struct RolloutSidecar {
  double fps = 16.0;
  int frames_per_step = 9;
  int context_frames = 0;          // includes_context: the context frames come first
  std::vector<int> step_end_frames;  // empty: derived from fps
  nlohmann::json document = nlohmann::json::object();
};
// Parses a sidecar's text; false with error naming the field.
bool parse_sidecar(const std::string& text, int context_count, RolloutSidecar& out, std::string& error);

enum class RolloutKind { Video, PngFolder };

struct RolloutFiles {
  RolloutKind kind = RolloutKind::Video;
  std::filesystem::path path;      // the mp4, or the folder of PNGs
  std::filesystem::path sidecar;   // empty when none
};

// The rollout of one trajectory (member key <split>/<stem>) inside a run folder.
std::optional<RolloutFiles> find_rollout(const std::filesystem::path& run_folder, const std::string& member_key);

// The numbered PNGs of a folder in number order (the last run of digits in each name);
// false with error on a duplicate number or no PNG.
bool list_numbered_pngs(const std::filesystem::path& folder, std::vector<std::filesystem::path>& out, std::string& error);

// The rollout frame that shows GT frame `gt_frame` (frame 9k+j of the GT grid, 16 fps):
// step ends come from step_end_frames when given, else context + round((k+1)*9*fps/16) - 1;
// other frames from context + round((f+1)*fps/16) - 1 (frame 0 -> the first frame).
int rollout_frame_for(int gt_frame, const RolloutSidecar& sidecar, int gt_frames_per_step = 9, double gt_fps = 16.0);

// run.json: read (an empty object when missing), written atomically.
bool read_run_json(const std::filesystem::path& run_folder, nlohmann::ordered_json& out, std::string& error);
bool write_run_json(const std::filesystem::path& run_folder, const nlohmann::ordered_json& document, std::string& error);

}  // namespace idm::rsv_eval
