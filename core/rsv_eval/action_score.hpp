#pragma once
// Action predictions on RSV (rsv.md §7): an inverse dynamics model predicts the 40 actions of a
// trajectory from its frames. Predictions are a folder of JSON files named by key
// (<split>/<stem>.json, or <stem>.json flat) or one JSON file {key: ...}; each value is
// {"actions": [names]}, [{"step": k, "action": name}] or a plain array of names. Scores: step
// accuracy, per-action precision/recall/F1, the 9x9 confusion matrix (rows GT, columns
// predicted), and the pose the predicted actions reach (integrated with the kinematics from the
// root) against the GT's: final-position error in cm and yaw error in degrees.
#include <array>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "rsv/check.hpp"
#include "rsv/kinematics.hpp"

namespace idm::rsv_eval {

// Predicted actions by member key; problems (unreadable files, unknown names) as lines.
struct ActionPredictions {
  std::map<std::string, std::vector<std::string>> by_key;
  std::vector<std::string> problems;
  std::vector<std::string> unmatched;  // keys in the source that are not in the release
};
bool load_action_predictions(const std::filesystem::path& source, const std::vector<std::string>& member_keys,
                             ActionPredictions& out, std::string& error);

struct TrajectoryActionScore {
  std::string key;
  std::string split;
  int steps = 0;
  int correct = 0;
  std::optional<double> final_position_error_cm;
  std::optional<double> final_yaw_error_deg;
  std::string reason;  // why it was not scored
};

struct ActionScoreReport {
  std::vector<std::string> actions;  // the vocabulary, in id order
  std::array<std::array<int, 9>, 9> confusion{};  // [gt][predicted]
  std::vector<TrajectoryActionScore> trajectories;
  int steps = 0, correct = 0;
  double accuracy() const { return steps ? static_cast<double>(correct) / steps : 0.0; }
};

ActionScoreReport score_action_predictions(const std::vector<rsv::LoadedItem>& loaded, const ActionPredictions& predictions,
                                           const rsv::Conventions& table);

nlohmann::ordered_json action_score_json(const ActionScoreReport& report);
std::string action_score_text(const ActionScoreReport& report);

}  // namespace idm::rsv_eval
