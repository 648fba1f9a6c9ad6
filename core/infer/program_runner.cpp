#include "infer/program_runner.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "infer/secrets.hpp"
#include "worker/protocol.hpp"

extern char** environ;

namespace idm::infer {

namespace {

std::string format_seconds(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%g s", seconds);
  return text;
}

void run_into(const std::vector<std::string>& command, const std::string& stdin_text, double timeout_s, const std::atomic<bool>& cancel,
              const std::string& log_prefix, ProgramOutcome& out) {
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
  std::vector<std::string> commandcopy = command;
  std::vector<char*> argv;
  for (std::string& item : commandcopy) argv.push_back(item.data());
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
    out.error = "cannot run " + command[0] + ": " + std::strerror(spawn_error);
    return;
  }
  for (int fd : {in_pipe[1], out_pipe[0], err_pipe[0]}) fcntl(fd, F_SETFL, O_NONBLOCK);

  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + std::chrono::duration<double>(timeout_s);
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
      kill_reason = cancel ? "cancelled" : "timed out after " + format_seconds(timeout_s) + " (--timeout)";
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
    out.error = command[0] + ": " + kill_reason;
    return;
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    out.error = command[0] + ": " + (WIFEXITED(status) ? "exit code " + std::to_string(WEXITSTATUS(status)) : "killed by signal " + std::to_string(WTERMSIG(status)));
    return;
  }
  if (unread > 0) {
    out.error = command[0] + ": exited without reading its request on stdin (" + std::to_string(unread) + " of " +
                std::to_string(stdin_text.size()) + " bytes unread)";
    return;
  }
  out.stdout_text = std::move(stdout_text);
  out.ok = true;
}

}  // namespace

ProgramOutcome run_program(const std::vector<std::string>& command, const std::string& stdin_text, double timeout_s,
                           const std::atomic<bool>& cancel, const std::string& log_prefix) {
  ProgramOutcome out;
  if (command.empty()) {
    out.error = "no program to run";
    return out;
  }
  run_into(command, stdin_text, timeout_s, cancel, log_prefix, out);
  return out;
}

}  // namespace idm::infer
