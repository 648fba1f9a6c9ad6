// The command backend: runs the user's program once per window (posix_spawn, argument
// vector, no shell). The frames are PNG files in a fresh temp dir; the request is JSON on the
// program's stdin; its stdout is parsed like a model answer; its stderr goes to our log, line
// by line.
//
// The program runs in its own process group. We wait for its exit (not for EOF on its pipes:
// a process it left behind may hold them for ever), read what it left in the pipes for a
// moment, then kill the whole group, so nothing it started outlives its answer. Timeouts and
// cancels kill the group too. We keep the read end of its stdin open ourselves, so a program
// that exits without reading never makes our write fail (no SIGPIPE), and we can tell that it
// did not read: that is the window's error.
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
    int in_pipe[2] = {-1, -1}, out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1};
    auto close_all = [&] {
      for (int* fd : {&in_pipe[0], &in_pipe[1], &out_pipe[0], &out_pipe[1], &err_pipe[0], &err_pipe[1]}) {
        if (*fd >= 0) ::close(*fd);
        *fd = -1;
      }
    };
    if (pipe2(in_pipe, O_CLOEXEC) != 0 || pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) {
      out.error = std::string("pipe: ") + std::strerror(errno);
      close_all();
      return;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t empty_set, default_set;
    sigemptyset(&empty_set);
    sigemptyset(&default_set);
    sigaddset(&default_set, SIGPIPE);  // we ignore SIGPIPE; the program gets the usual behaviour
    posix_spawnattr_setsigmask(&attributes, &empty_set);
    posix_spawnattr_setsigdefault(&attributes, &default_set);
    posix_spawnattr_setpgroup(&attributes, 0);  // its own group: killed whole after the answer
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
    std::vector<std::string> argv_copy = argv_;
    std::vector<char*> argv;
    for (std::string& item : argv_copy) argv.push_back(item.data());
    argv.push_back(nullptr);
    pid_t pid = -1;
    int spawn_error = posix_spawnp(&pid, argv[0], &actions, &attributes, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    out_pipe[1] = err_pipe[1] = -1;
    if (spawn_error != 0) {
      close_all();
      out.error = "cannot run " + argv_[0] + ": " + std::strerror(spawn_error);
      return;
    }
    for (int fd : {in_pipe[1], out_pipe[0], err_pipe[0]}) fcntl(fd, F_SETFL, O_NONBLOCK);

    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + std::chrono::duration<double>(timeout_s_);
    size_t stdin_written = 0;
    std::string stdout_text, stderr_pending;
    bool stdout_open = true, stderr_open = true, exited = false;
    Clock::time_point drain_until{};
    std::string kill_reason;
    auto log_stderr = [&](bool flush_all) {
      size_t start = 0;
      for (size_t newline; (newline = stderr_pending.find('\n', start)) != std::string::npos; start = newline + 1) {
        std::fprintf(stderr, "%s%s\n", log_prefix.c_str(), scrub_secrets(stderr_pending.substr(start, newline - start)).c_str());
      }
      stderr_pending.erase(0, start);
      if ((flush_all && !stderr_pending.empty()) || stderr_pending.size() > 4096) {
        std::fprintf(stderr, "%s%s\n", log_prefix.c_str(), scrub_secrets(stderr_pending).c_str());
        stderr_pending.clear();
      }
      std::fflush(stderr);
    };
    while (true) {
      if (!exited) {
        siginfo_t info{};  // WNOWAIT: not reaped yet, so its pid (= its group) stays ours to signal
        exited = ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid;
        if (exited) drain_until = Clock::now() + std::chrono::milliseconds(500);
      }
      if (exited && ((!stdout_open && !stderr_open) || Clock::now() > drain_until)) break;
      if (!exited && (cancel || Clock::now() > deadline)) {
        kill_reason = cancel ? "cancelled" : "timed out after " + format_seconds(timeout_s_) + " (--timeout)";
        break;
      }
      pollfd fds[3];
      nfds_t count = 0;
      int out_slot = -1, err_slot = -1, in_slot = -1;
      if (stdout_open) fds[out_slot = static_cast<int>(count++)] = {out_pipe[0], POLLIN, 0};
      if (stderr_open) fds[err_slot = static_cast<int>(count++)] = {err_pipe[0], POLLIN, 0};
      if (in_pipe[1] >= 0 && !exited) fds[in_slot = static_cast<int>(count++)] = {in_pipe[1], POLLOUT, 0};
      if (::poll(fds, count, 20) < 0 && errno != EINTR) {
        kill_reason = std::string("poll: ") + std::strerror(errno);
        break;
      }
      if (in_slot >= 0 && fds[in_slot].revents) {
        ssize_t n = ::write(in_pipe[1], stdin_text.data() + stdin_written, stdin_text.size() - stdin_written);
        if (n > 0) stdin_written += static_cast<size_t>(n);
        if ((n < 0 && errno != EAGAIN && errno != EINTR) || stdin_written >= stdin_text.size()) {
          ::close(in_pipe[1]);  // EOF: the request is complete
          in_pipe[1] = -1;
        }
      }
      char buffer[65536];
      if (out_slot >= 0 && fds[out_slot].revents) {
        ssize_t n = ::read(out_pipe[0], buffer, sizeof buffer);
        if (n > 0) stdout_text.append(buffer, static_cast<size_t>(n));
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) stdout_open = false;
        if (stdout_text.size() > worker::kMaxAnswerBytes) {
          kill_reason = "wrote more than " + std::to_string(worker::kMaxAnswerBytes >> 20) + " MiB on stdout (the limit of an answer)";
          break;
        }
      }
      if (err_slot >= 0 && fds[err_slot].revents) {
        ssize_t n = ::read(err_pipe[0], buffer, sizeof buffer);
        if (n > 0) stderr_pending.append(buffer, static_cast<size_t>(n));
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) stderr_open = false;
        log_stderr(false);
      }
    }
    log_stderr(true);
    // The program and whatever it started (a server, a `sleep &`): gone with the group. Its
    // pid is not reaped yet, so the group id cannot belong to anyone else.
    ::kill(-pid, SIGKILL);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    // Bytes of the request it never read: what we could not write, plus what is still in the pipe.
    int in_pipe_bytes = 0;
    if (::ioctl(in_pipe[0], FIONREAD, &in_pipe_bytes) != 0) in_pipe_bytes = 0;
    size_t unread = stdin_text.size() - stdin_written + static_cast<size_t>(std::max(in_pipe_bytes, 0));
    close_all();
    if (!kill_reason.empty()) {
      out.error = argv_[0] + ": " + kill_reason;
      return;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      out.error = argv_[0] + ": " + (WIFEXITED(status) ? "exit code " + std::to_string(WEXITSTATUS(status)) : "killed by signal " + std::to_string(WTERMSIG(status)));
      return;
    }
    if (unread > 0) {
      out.error = argv_[0] + ": exited without reading its request on stdin (" + std::to_string(unread) + " of " +
                  std::to_string(stdin_text.size()) + " bytes unread)";
      return;
    }
    out.raw_text = std::move(stdout_text);
    out.ok = true;
  }

  static std::string format_seconds(double seconds) {
    char text[32];
    std::snprintf(text, sizeof text, "%g s", seconds);
    return text;
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
