// The command backend: runs the user's program once per window (run_program: posix_spawn,
// argument vector, no shell, own process group). The frames are PNG files in a fresh temp dir;
// the request is JSON on the program's stdin; its stdout is parsed like a model answer; its
// stderr goes to our log, line by line.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <algorithm>
#include <filesystem>

#include "infer/backends.hpp"
#include "infer/frame_pipeline.hpp"
#include "infer/program_runner.hpp"
#include "infer/secrets.hpp"
#include "io/atomic_write.hpp"
#include "worker/protocol.hpp"

extern char** environ;

namespace idm::infer {

namespace {

class CommandBackend final : public Backend {
 public:
  CommandBackend(std::vector<std::string> argv, double timeout_s, int concurrency)
      : argv_(std::move(argv)), timeout_s_(timeout_s), concurrency_(concurrency) {}

  int concurrency() const override { return concurrency_; }
  nlohmann::json describe() const override { return {{"name", "command"}, {"command", argv_}, {"timeout_s", timeout_s_}}; }

  WindowAnswer run_window(const WindowInput& input, const std::atomic<bool>& cancel) override {
    WindowAnswer out;
    out.attempts = 1;
    std::string pattern = (std::filesystem::temp_directory_path() / "idmscope-window-XXXXXX").string();
    if (!mkdtemp(pattern.data())) {
      out.error = std::string("cannot create a temp dir: ") + std::strerror(errno);
      return out;
    }
    std::filesystem::path directory = pattern;
    nlohmann::json request{{"clip", input.clip_key}, {"window", input.window_index}, {"start_frame", input.start_frame},
                           {"fps", 5}, {"frames", nlohmann::json::array()}};
    bool written = true;
    for (size_t i = 0; i < input.pngs.size() && written; ++i) {
      std::string label = frame_label(static_cast<int>(i));
      std::filesystem::path file = directory / (label + ".png");
      std::string error;
      written = write_file_atomically(file, input.pngs[i], error);
      if (!written) out.error = error;
      request["frames"].push_back({{"label", label}, {"path", file.string()}});
    }
    if (written) run(request.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n", cancel, out, "[" + argv_[0] + " " + input.clip_key + " window " + std::to_string(input.window_index) + "] ");
    std::error_code ignored;
    std::filesystem::remove_all(directory, ignored);
    return out;
  }

 private:
  void run(const std::string& stdin_text, const std::atomic<bool>& cancel, WindowAnswer& out, const std::string& log_prefix) const {
    ProgramOutcome outcome = run_program(argv_, stdin_text, timeout_s_, cancel, log_prefix);
    out.ok = outcome.ok;
    out.error = std::move(outcome.error);
    out.raw_text = std::move(outcome.stdout_text);
  }

  std::vector<std::string> argv_;
  double timeout_s_;
  int concurrency_;
};

}  // namespace

std::unique_ptr<Backend> make_command_backend(const nlohmann::json& config, std::string& error) {
  auto command = config.find("command");
  if (command == config.end() || !command->is_array() || command->empty()) {
    error = "backend.command: expected a non-empty array of strings (the program and its arguments)";
    return nullptr;
  }
  std::vector<std::string> argv;
  for (const auto& item : *command) {
    if (!item.is_string()) {
      error = "backend.command: every item must be a string";
      return nullptr;
    }
    argv.push_back(item.get<std::string>());
  }
  double timeout_s = 300.0;
  int concurrency = 1;
  if (auto it = config.find("timeout_s"); it != config.end() && !it->is_null()) {
    if (!it->is_number() || it->get<double>() <= 0) {
      error = "backend.timeout_s: expected a number of seconds > 0, got " + it->dump();
      return nullptr;
    }
    timeout_s = it->get<double>();
  }
  if (auto it = config.find("concurrency"); it != config.end() && !it->is_null()) {
    if (!it->is_number_integer() || it->get<int64_t>() < 1 || it->get<int64_t>() > 64) {
      error = "backend.concurrency: must be an integer 1..64, got " + it->dump();
      return nullptr;
    }
    concurrency = it->get<int>();
  }
  return std::make_unique<CommandBackend>(std::move(argv), timeout_s, concurrency);
}

}  // namespace idm::infer
