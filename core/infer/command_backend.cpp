// The command backend: runs the user's program once per window (posix_spawn, argument
// vector, no shell). The frames are PNG files in a fresh temp dir; the request is JSON on the
// program's stdin; its stdout is parsed like a model answer; its stderr goes to our log.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "infer/backends.hpp"
#include "infer/frame_pipeline.hpp"
#include "io/atomic_write.hpp"

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
    if (written) run(request.dump() + "\n", cancel, out);
    std::error_code ignored;
    std::filesystem::remove_all(directory, ignored);
    return out;
  }

 private:
  void run(const std::string& stdin_text, const std::atomic<bool>& cancel, WindowAnswer& out) const {
    int in_pipe[2], out_pipe[2];
    if (pipe2(in_pipe, O_CLOEXEC) != 0) {
      out.error = std::string("pipe: ") + std::strerror(errno);
      return;
    }
    if (pipe2(out_pipe, O_CLOEXEC) != 0) {
      ::close(in_pipe[0]);
      ::close(in_pipe[1]);
      out.error = std::string("pipe: ") + std::strerror(errno);
      return;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
    // stderr stays ours: the program's messages land in the worker log.
    std::vector<std::string> argv_copy = argv_;
    std::vector<char*> argv;
    for (std::string& item : argv_copy) argv.push_back(item.data());
    argv.push_back(nullptr);
    pid_t pid = -1;
    int spawn_error = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(in_pipe[0]);
    ::close(out_pipe[1]);
    if (spawn_error != 0) {
      ::close(in_pipe[1]);
      ::close(out_pipe[0]);
      out.error = "cannot run " + argv_[0] + ": " + std::strerror(spawn_error);
      return;
    }
    fcntl(in_pipe[1], F_SETFL, O_NONBLOCK);
    size_t stdin_written = 0;
    int stdin_fd = in_pipe[1];
    std::string stdout_text;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s_);
    bool killed_for = false;
    std::string kill_reason;
    while (true) {
      if (cancel || std::chrono::steady_clock::now() > deadline) {
        kill_reason = cancel ? "cancelled" : "timed out after " + std::to_string(static_cast<int>(timeout_s_)) + " s";
        ::kill(pid, SIGKILL);
        killed_for = true;
        break;
      }
      pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {stdin_fd, POLLOUT, 0}};
      int count = stdin_fd >= 0 ? 2 : 1;
      if (::poll(fds, static_cast<nfds_t>(count), 50) < 0 && errno != EINTR) break;
      if (count == 2 && (fds[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
        ssize_t n = ::write(stdin_fd, stdin_text.data() + stdin_written, stdin_text.size() - stdin_written);
        if (n > 0) stdin_written += static_cast<size_t>(n);
        if (n < 0 && errno != EAGAIN && errno != EINTR) stdin_written = stdin_text.size();  // it closed stdin: fine
        if (stdin_written >= stdin_text.size()) {
          ::close(stdin_fd);
          stdin_fd = -1;
        }
      }
      if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
        char buffer[65536];
        ssize_t n = ::read(out_pipe[0], buffer, sizeof buffer);
        if (n > 0) stdout_text.append(buffer, static_cast<size_t>(n));
        else if (n == 0) break;
        if (stdout_text.size() > (64u << 20)) {
          kill_reason = "wrote more than 64 MiB";
          ::kill(pid, SIGKILL);
          killed_for = true;
          break;
        }
      }
    }
    if (stdin_fd >= 0) ::close(stdin_fd);
    ::close(out_pipe[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (killed_for) {
      out.error = argv_[0] + ": " + kill_reason;
      return;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      out.error = argv_[0] + ": " + (WIFEXITED(status) ? "exit code " + std::to_string(WEXITSTATUS(status)) : "killed by signal " + std::to_string(WTERMSIG(status)));
      return;
    }
    out.raw_text = std::move(stdout_text);
    out.ok = true;
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
  double timeout_s = config.value("timeout_s", 300.0);
  int concurrency = config.value("concurrency", 1);
  if (concurrency < 1 || concurrency > 64) {
    error = "backend.concurrency: must be 1..64";
    return nullptr;
  }
  return std::make_unique<CommandBackend>(std::move(argv), timeout_s, concurrency);
}

}  // namespace idm::infer
