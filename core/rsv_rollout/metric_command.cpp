#include "rsv_rollout/metric_command.hpp"

#include <atomic>
#include <cmath>

#include <nlohmann/json.hpp>

#include "infer/program_runner.hpp"
#include "worker/protocol.hpp"

namespace idm::rsv_rollout {

bool parse_metric_option(const std::string& text, MetricCommand& out, std::string& error) {
  size_t equals = text.find('=');
  if (equals == std::string::npos || equals == 0 || equals + 1 >= text.size()) {
    error = "--metric expects NAME=PROGRAM[,ARG...], got '" + text + "'";
    return false;
  }
  out.name = text.substr(0, equals);
  out.argv.clear();
  size_t begin = equals + 1;
  while (true) {
    size_t comma = text.find(',', begin);
    out.argv.push_back(text.substr(begin, comma == std::string::npos ? std::string::npos : comma - begin));
    if (comma == std::string::npos) break;
    begin = comma + 1;
  }
  if (out.argv.front().empty()) {
    error = "--metric " + out.name + ": no program";
    return false;
  }
  return true;
}

MetricAnswer run_metric(const MetricCommand& command, const std::vector<MetricPair>& pairs, double timeout_s) {
  MetricAnswer answer;
  nlohmann::json request = {{"metric", command.name}, {"pairs", nlohmann::json::array()}};
  for (const MetricPair& pair : pairs) request["pairs"].push_back({{"id", pair.id}, {"a", pair.a.string()}, {"b", pair.b.string()}});
  std::atomic<bool> never{false};
  infer::ProgramOutcome outcome = infer::run_program(command.argv, request.dump() + "\n", timeout_s, never, "[metric " + command.name + "] ");
  if (!outcome.ok) {
    answer.error = outcome.error;
    return answer;
  }
  const std::string& text = outcome.stdout_text;
  size_t end = text.find_last_not_of("\r\n \t");
  size_t begin = end == std::string::npos ? std::string::npos : text.find_last_of('\n', end);
  std::string line = end == std::string::npos ? "" : text.substr(begin == std::string::npos ? 0 : begin + 1, end + 1 - (begin == std::string::npos ? 0 : begin + 1));
  nlohmann::json document = nlohmann::json::parse(line, nullptr, false);
  if (document.is_discarded() || !document.is_object() || !document.contains("values") || !document["values"].is_array()) {
    answer.error = command.argv.front() + ": its last stdout line is not {\"version\", \"values\": [...]}: " +
                   (line.empty() ? std::string("(no output)") : worker::excerpt(line));
    return answer;
  }
  answer.version = document.contains("version") && document["version"].is_string() ? document["version"].get<std::string>() : "unstated";
  for (size_t i = 0; i < document["values"].size(); ++i) {
    const nlohmann::json& value = document["values"][i];
    if (!value.is_object() || !value.contains("id") || !value["id"].is_string() || !value.contains("value") || !value["value"].is_number() ||
        !std::isfinite(value["value"].get<double>())) {
      answer.error = command.argv.front() + ": values[" + std::to_string(i) + "]: expected {\"id\": string, \"value\": finite number}";
      return answer;
    }
    answer.values[value["id"].get<std::string>()] = value["value"].get<double>();
  }
  for (const MetricPair& pair : pairs) {
    if (!answer.values.count(pair.id)) {
      answer.error = command.argv.front() + ": no value for pair " + pair.id;
      return answer;
    }
  }
  answer.ok = true;
  return answer;
}

}  // namespace idm::rsv_rollout
