#pragma once
// A tiny argument reader shared by the subcommands: `--name value`, `--flag`, positionals.
// `--` ends the options: every item after it is a positional (a folder named "--x" works).
#include <optional>
#include <string>
#include <vector>

namespace idm::cli {

// Thrown for a bad command line; main prints "idmscope <cmd>: <message>" and exits 2.
struct UsageError {
  std::string message;
};

class Args {
 public:
  Args(int argc, char** argv, int first);
  bool flag(const std::string& name);                       // --name
  std::optional<std::string> value(const std::string& name);  // --name VALUE (last wins)
  std::vector<std::string> values(const std::string& name);   // repeated --name VALUE
  int int_value(const std::string& name, int fallback, int min, int max);
  std::vector<std::string> positionals();
  // Call after reading every option: anything left over is an error.
  void finish();
  bool wants_help() const { return help_; }

 private:
  std::vector<std::string> items_;
  std::vector<bool> used_;
  std::vector<bool> literal_;  // after "--": only ever a positional
  bool help_ = false;
};

}  // namespace idm::cli
