#pragma once
// User-supplied metric commands for what needs network weights no package here ships (LPIPS,
// FVD; rsv.md §6): `--metric NAME=PROGRAM[,ARG...]`. The program (run like a rollout program:
// no shell, own process group, timeout) reads {"metric": NAME, "pairs": [{"id", "a": PNG, "b": PNG}]}
// on stdin and answers {"version": "...", "values": [{"id", "value"}]} as its last stdout line.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace idm::rsv_rollout {

struct MetricCommand {
  std::string name;
  std::vector<std::string> argv;
};

// "lpips=/path/prog,--net,alex": false with error when the form is wrong.
bool parse_metric_option(const std::string& text, MetricCommand& out, std::string& error);

struct MetricPair {
  std::string id;
  std::filesystem::path a;
  std::filesystem::path b;
};

struct MetricAnswer {
  bool ok = false;
  std::string version;
  std::map<std::string, double> values;  // by pair id
  std::string error;
};

MetricAnswer run_metric(const MetricCommand& command, const std::vector<MetricPair>& pairs, double timeout_s);

}  // namespace idm::rsv_rollout
