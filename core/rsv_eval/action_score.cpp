#include "rsv_eval/action_score.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

namespace idm::rsv_eval {

namespace fs = std::filesystem;

namespace {

// One trajectory's predicted actions from any of the accepted shapes.
bool parse_actions(const nlohmann::json& value, std::vector<std::string>& out, std::string& error) {
  out.clear();
  const nlohmann::json* list = &value;
  if (value.is_object()) {
    if (!value.contains("actions")) {
      error = "expected {\"actions\": [...]}";
      return false;
    }
    list = &value["actions"];
  }
  if (!list->is_array()) {
    error = "expected an array of action names";
    return false;
  }
  std::map<int64_t, std::string> by_step;
  for (size_t i = 0; i < list->size(); ++i) {
    const nlohmann::json& entry = (*list)[i];
    if (entry.is_string()) {
      out.push_back(entry.get<std::string>());
    } else if (entry.is_object() && entry.contains("step") && entry["step"].is_number_integer() && entry.contains("action") &&
               entry["action"].is_string()) {
      int64_t step = entry["step"].get<int64_t>();
      if (step < 0 || step > 100000 || !by_step.emplace(step, entry["action"].get<std::string>()).second) {
        error = "[" + std::to_string(i) + "]: step " + std::to_string(step) + " is out of range or repeated";
        return false;
      }
    } else {
      error = "[" + std::to_string(i) + "]: expected an action name or {\"step\": k, \"action\": name}";
      return false;
    }
  }
  if (!by_step.empty()) {
    if (!out.empty()) {
      error = "mixes names and {step, action} objects";
      return false;
    }
    int64_t expected = 0;
    for (auto& [step, action] : by_step) {
      if (step != expected++) {
        error = "step " + std::to_string(expected - 1) + " is missing";
        return false;
      }
      out.push_back(action);
    }
  }
  return true;
}

bool read_json(const fs::path& path, nlohmann::json& out, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot open";
    return false;
  }
  std::stringstream text;
  text << in.rdbuf();
  out = nlohmann::json::parse(text.str(), nullptr, false);
  if (out.is_discarded()) {
    error = "not JSON";
    return false;
  }
  return true;
}

double wrapped_abs(double degrees) { return std::fabs(rsv::wrap_degrees(degrees)); }

}  // namespace

bool load_action_predictions(const fs::path& source, const std::vector<std::string>& member_keys, ActionPredictions& out,
                             std::string& error) {
  std::error_code ec;
  std::map<std::string, std::string> key_by_stem;
  std::set<std::string> keys(member_keys.begin(), member_keys.end());
  for (const std::string& key : member_keys) key_by_stem[key.substr(key.find('/') + 1)] = key;
  if (fs::is_regular_file(source, ec)) {
    nlohmann::json document;
    if (!read_json(source, document, error) || !document.is_object()) {
      error = source.string() + ": " + (error.empty() ? "expected an object {key: actions}" : error);
      return false;
    }
    for (auto it = document.begin(); it != document.end(); ++it) {
      std::string key = keys.count(it.key()) ? it.key() : key_by_stem.count(it.key()) ? key_by_stem[it.key()] : "";
      if (key.empty()) {
        out.unmatched.push_back(it.key());
        continue;
      }
      std::vector<std::string> actions;
      std::string why;
      if (!parse_actions(it.value(), actions, why)) out.problems.push_back(source.filename().string() + ": " + it.key() + ": " + why);
      else out.by_key[key] = actions;
    }
    return true;
  }
  if (!fs::is_directory(source, ec)) {
    error = source.string() + " is neither a prediction file nor a folder";
    return false;
  }
  for (fs::recursive_directory_iterator it(source, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file() || it->path().extension() != ".json") continue;
    fs::path relative = fs::relative(it->path(), source, ec);
    std::string name = relative.generic_string();
    name = name.substr(0, name.size() - 5);
    std::string key = keys.count(name) ? name : key_by_stem.count(relative.stem().string()) ? key_by_stem[relative.stem().string()] : "";
    if (key.empty()) {
      out.unmatched.push_back(relative.generic_string());
      continue;
    }
    nlohmann::json document;
    std::string why;
    std::vector<std::string> actions;
    if (!read_json(it->path(), document, why) || !parse_actions(document, actions, why)) out.problems.push_back(relative.generic_string() + ": " + why);
    else out.by_key[key] = actions;
  }
  if (ec) {
    error = "cannot list " + source.string() + ": " + ec.message();
    return false;
  }
  return true;
}

ActionScoreReport score_action_predictions(const std::vector<rsv::LoadedItem>& loaded, const ActionPredictions& predictions,
                                           const rsv::Conventions& table) {
  ActionScoreReport report;
  report.actions = rsv::action_vocabulary();
  auto index_of = [&](const std::string& name) -> int {
    auto it = std::find(report.actions.begin(), report.actions.end(), name);
    return it == report.actions.end() ? -1 : static_cast<int>(it - report.actions.begin());
  };
  for (const rsv::LoadedItem& item : loaded) {
    for (const rsv::LoadedMember& member : item.members) {
      TrajectoryActionScore score;
      score.key = member.files.key;
      score.split = item.item->split;
      auto found = predictions.by_key.find(score.key);
      if (!member.meta.parsed || member.meta.actions.empty() || !member.meta.root) {
        score.reason = "the GT metadata has no actions or root";
      } else if (found == predictions.by_key.end()) {
        score.reason = "no prediction";
      } else if (found->second.size() != member.meta.actions.size()) {
        score.reason = "predicted " + std::to_string(found->second.size()) + " actions, the GT has " + std::to_string(member.meta.actions.size());
      } else {
        const std::vector<std::string>& predicted = found->second;
        std::string unknown;
        for (const std::string& name : predicted) {
          if (index_of(name) < 0 || !table.find(name)) unknown = name;
        }
        if (!unknown.empty()) {
          score.reason = "unknown action '" + unknown + "'";
        } else {
          rsv::Pose gt_pose = *member.meta.root, predicted_pose = *member.meta.root;
          for (size_t k = 0; k < predicted.size(); ++k) {
            int gt = index_of(member.meta.actions[k]), guess = index_of(predicted[k]);
            if (gt < 0) continue;
            ++report.confusion[static_cast<size_t>(gt)][static_cast<size_t>(guess)];
            ++score.steps;
            if (gt == guess) ++score.correct;
            gt_pose = rsv::apply_action(gt_pose, *table.find(member.meta.actions[k]));
            predicted_pose = rsv::apply_action(predicted_pose, *table.find(predicted[k]));
          }
          score.final_position_error_cm = rsv::distance_cm(gt_pose.position_cm, predicted_pose.position_cm);
          score.final_yaw_error_deg = wrapped_abs(gt_pose.rotation_deg.y - predicted_pose.rotation_deg.y);
          report.steps += score.steps;
          report.correct += score.correct;
        }
      }
      report.trajectories.push_back(score);
    }
  }
  return report;
}

nlohmann::ordered_json action_score_json(const ActionScoreReport& report) {
  nlohmann::ordered_json out;
  out["steps"] = report.steps;
  out["step_accuracy"] = report.accuracy();
  nlohmann::ordered_json per_action = nlohmann::ordered_json::array();
  for (size_t a = 0; a < report.actions.size(); ++a) {
    int tp = report.confusion[a][a], gt = 0, predicted = 0;
    for (size_t b = 0; b < report.actions.size(); ++b) {
      gt += report.confusion[a][b];
      predicted += report.confusion[b][a];
    }
    double precision = predicted ? static_cast<double>(tp) / predicted : 0.0, recall = gt ? static_cast<double>(tp) / gt : 0.0;
    double f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
    per_action.push_back({{"action", report.actions[a]}, {"support", gt}, {"predicted", predicted}, {"precision", precision}, {"recall", recall}, {"f1", f1}});
  }
  out["per_action"] = per_action;
  out["confusion"] = {{"rows", "gt"}, {"columns", "predicted"}, {"actions", report.actions}, {"counts", report.confusion}};
  nlohmann::ordered_json trajectories = nlohmann::ordered_json::array();
  for (const TrajectoryActionScore& score : report.trajectories) {
    nlohmann::ordered_json entry = {{"key", score.key}, {"split", score.split}, {"steps", score.steps}, {"correct", score.correct}};
    entry["final_position_error_cm"] = score.final_position_error_cm ? nlohmann::ordered_json(*score.final_position_error_cm) : nlohmann::ordered_json(nullptr);
    entry["final_yaw_error_deg"] = score.final_yaw_error_deg ? nlohmann::ordered_json(*score.final_yaw_error_deg) : nlohmann::ordered_json(nullptr);
    if (!score.reason.empty()) entry["reason"] = score.reason;
    trajectories.push_back(entry);
  }
  out["trajectories"] = trajectories;
  return out;
}

std::string action_score_text(const ActionScoreReport& report) {
  std::string out;
  char line[256];
  std::snprintf(line, sizeof line, "step accuracy %.4f (%d of %d steps)\n\n%-14s %7s %7s %9s %7s %7s\n", report.accuracy(), report.correct,
                report.steps, "action", "support", "pred", "precision", "recall", "F1");
  out += line;
  nlohmann::ordered_json json = action_score_json(report);
  for (const auto& action : json["per_action"]) {
    std::snprintf(line, sizeof line, "%-14s %7d %7d %9.3f %7.3f %7.3f\n", action["action"].get<std::string>().c_str(), action["support"].get<int>(),
                  action["predicted"].get<int>(), action["precision"].get<double>(), action["recall"].get<double>(), action["f1"].get<double>());
    out += line;
  }
  out += "\nconfusion (rows GT, columns predicted; ids 0-8 in the order above)\n";
  for (size_t a = 0; a < 9; ++a) {
    std::snprintf(line, sizeof line, "%-14s", report.actions[a].c_str());
    out += line;
    for (size_t b = 0; b < 9; ++b) {
      std::snprintf(line, sizeof line, " %5d", report.confusion[a][b]);
      out += line;
    }
    out += "\n";
  }
  std::vector<double> position, yaw;
  int unscored = 0;
  for (const TrajectoryActionScore& score : report.trajectories) {
    if (score.final_position_error_cm) {
      position.push_back(*score.final_position_error_cm);
      yaw.push_back(*score.final_yaw_error_deg);
    } else {
      ++unscored;
    }
  }
  auto mean = [](const std::vector<double>& values) {
    double sum = 0;
    for (double value : values) sum += value;
    return values.empty() ? 0.0 : sum / values.size();
  };
  std::snprintf(line, sizeof line, "\npath of the predicted actions: final position error mean %.1f cm, yaw error mean %.2f deg over %zu trajectories",
                mean(position), mean(yaw), position.size());
  out += line;
  if (unscored) out += "; " + std::to_string(unscored) + " not scored";
  out += "\n";
  return out;
}

}  // namespace idm::rsv_eval
