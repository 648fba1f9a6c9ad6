#include "infer/worker_client.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <poll.h>

#include <cerrno>
#include <cstring>

#include "infer/secrets.hpp"
#include "worker/messages.hpp"
#include "worker/protocol.hpp"

extern char** environ;

namespace idm::infer {

namespace {

using Clock = std::chrono::steady_clock;

std::string describe_status(int status) {
  if (WIFEXITED(status)) return "exit code " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    const char* name = strsignal(WTERMSIG(status));
    return "killed by signal " + std::to_string(WTERMSIG(status)) + (name ? std::string(" (") + name + ")" : "");
  }
  return "status " + std::to_string(status);
}

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

}  // namespace

const char* worker_state_name(WorkerState state) {
  switch (state) {
    case WorkerState::NotStarted: return "not started";
    case WorkerState::Starting: return "starting";
    case WorkerState::Ready: return "ready";
    case WorkerState::Failed: return "failed";
    case WorkerState::Exited: return "exited";
  }
  return "?";
}

WorkerClient::WorkerClient(WorkerClientOptions options) : options_(std::move(options)) {}

WorkerClient::~WorkerClient() { stop(500); }

bool WorkerClient::start(std::string& error) {
  if (options_.argv.empty()) {
    error = "no worker executable given";
    return false;
  }
  int stdin_pair[2] = {-1, -1}, stdout_pipe[2] = {-1, -1}, stderr_pipe[2] = {-1, -1};
  // CLOEXEC everywhere: a second worker must not inherit this one's pipe ends (it would keep
  // our EOF from ever arriving). dup2 in the child clears the flag on fds 0-2 only.
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, stdin_pair) != 0 || pipe2(stdout_pipe, O_CLOEXEC) != 0 ||
      pipe2(stderr_pipe, O_CLOEXEC) != 0) {
    error = std::string("cannot create pipes: ") + std::strerror(errno);
    for (int* fd : {&stdin_pair[0], &stdin_pair[1], &stdout_pipe[0], &stdout_pipe[1], &stderr_pipe[0], &stderr_pipe[1]}) close_fd(*fd);
    return false;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, stdin_pair[1], 0);
  posix_spawn_file_actions_adddup2(&actions, stdout_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, stderr_pipe[1], 2);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  // The child starts with default SIGPIPE handling and no blocked signals, whatever ours are.
  sigset_t empty_set, default_set;
  sigemptyset(&empty_set);
  sigemptyset(&default_set);
  sigaddset(&default_set, SIGPIPE);
  posix_spawnattr_setsigmask(&attributes, &empty_set);
  posix_spawnattr_setsigdefault(&attributes, &default_set);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  std::vector<char*> argv;
  for (std::string& item : options_.argv) argv.push_back(item.data());
  argv.push_back(nullptr);
  int spawn_error = posix_spawn(&pid_, argv[0], &actions, &attributes, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  close_fd(stdin_pair[1]);
  close_fd(stdout_pipe[1]);
  close_fd(stderr_pipe[1]);
  if (spawn_error != 0) {
    pid_ = -1;
    close_fd(stdin_pair[0]);
    close_fd(stdout_pipe[0]);
    close_fd(stderr_pipe[0]);
    error = "cannot start " + options_.argv[0] + ": " + std::strerror(spawn_error);
    return false;
  }
  // Set before any request arrives, so the threads the worker makes for them inherit it.
  if (options_.nice != 0) setpriority(PRIO_PROCESS, static_cast<id_t>(pid_), options_.nice);
  stdin_fd_ = stdin_pair[0];
  stdout_fd_ = stdout_pipe[0];
  stderr_fd_ = stderr_pipe[0];
  fcntl(stdout_fd_, F_SETFL, O_NONBLOCK);
  fcntl(stderr_fd_, F_SETFL, O_NONBLOCK);
  {
    std::lock_guard lock(mutex_);
    state_ = WorkerState::Starting;
    started_at_ = Clock::now();
  }
  stdout_thread_ = std::thread([this] { read_stdout(); });
  stderr_thread_ = std::thread([this] { read_stderr(); });
  monitor_thread_ = std::thread([this] { monitor(); });
  return true;
}

bool WorkerClient::write_line(const std::string& line) {
  std::lock_guard lock(write_mutex_);
  if (stdin_fd_ < 0) return false;
  size_t written = 0;
  while (written < line.size()) {
    ssize_t n = ::send(stdin_fd_, line.data() + written, line.size() - written, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    written += static_cast<size_t>(n);
  }
  return true;
}

int64_t WorkerClient::send_request(nlohmann::json request) {
  {
    std::lock_guard lock(mutex_);
    if (state_ != WorkerState::Starting && state_ != WorkerState::Ready) return -1;
  }
  int64_t id = next_id_++;
  request["id"] = id;
  return write_line(worker::encode_line(request)) ? id : -1;
}

void WorkerClient::cancel(int64_t request_id) { write_line(worker::encode_line({{"type", "cancel"}, {"id", request_id}})); }

void WorkerClient::cancel_all() { write_line(worker::encode_line({{"type", "cancel"}})); }

void WorkerClient::push_event(nlohmann::json event) {
  events_.push_back(std::move(event));
  changed_.notify_all();
}

void WorkerClient::fail(const std::string& message) {
  std::lock_guard lock(mutex_);
  if (state_ == WorkerState::Failed || state_ == WorkerState::Exited || stopping_) return;
  state_ = WorkerState::Failed;
  failure_ = scrub_secrets(message);
  push_event({{"type", "fault"}, {"message", failure_}});
  // Not reaped yet, so pid_ cannot have been reused: the kill reaches our child (or its zombie).
  if (!reaped_ && pid_ > 0) ::kill(pid_, SIGKILL);
}

void WorkerClient::handle_line(const std::string& line) {
  nlohmann::json message;
  std::string error;
  {
    std::lock_guard lock(mutex_);
    if (state_ == WorkerState::Failed) return;  // nothing it says counts any more
  }
  if (line.size() > worker::kMaxLineBytes || !worker::decode_line(line, message, error)) {
    fail("the worker wrote garbage on stdout (" + (error.empty() ? std::string("line too long") : error) + ")");
    return;
  }
  const std::string type = message["type"].get<std::string>();
  if (!worker::validate_event(message, error)) {
    // The raw line goes to the log (the worker's log tail shown with the error), so whoever
    // wrote the worker sees exactly what was sent.
    keep_log("idmscope: protocol error (" + error + ") in the worker's line: " + worker::excerpt(line, 4000));
    std::optional<int64_t> id = worker::message_id(message);
    if (id && type != "hello") {  // the request it belongs to fails; the worker goes on
      std::lock_guard lock(mutex_);
      push_event({{"type", "error"}, {"id", *id}, {"message", "the worker broke the protocol: " + error}, {"protocol_error", true}});
      return;
    }
    fail("the worker broke the protocol: " + error);
    return;
  }
  std::unique_lock lock(mutex_);
  if (state_ == WorkerState::Starting) {
    if (type != "hello") {
      lock.unlock();
      fail("the worker's first message is \"" + type + "\", expected \"hello\"");
      return;
    }
    auto version = message.find("protocol");
    if (version == message.end() || !version->is_number_integer() || version->get<int>() != worker::kProtocolVersion) {
      std::string got = version == message.end() ? "none" : version->dump();
      lock.unlock();
      bool older = version != message.end() && version->is_number_integer() && version->get<int>() < worker::kProtocolVersion;
      fail("the worker speaks protocol version " + got + ", this idmscope speaks " + std::to_string(worker::kProtocolVersion) +
           (older ? " (an older worker: it has no rollout request; use the idmscope-worker built with this idmscope)" : ""));
      return;
    }
    hello_ = message;
    state_ = WorkerState::Ready;
    last_pong_at_ = Clock::now();
    push_event(std::move(message));
    return;
  }
  if (type == "pong") {
    last_pong_at_ = Clock::now();
    return;
  }
  push_event(std::move(message));
}

bool WorkerClient::child_exited() const {
  siginfo_t info{};
  return ::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid_;
}

void WorkerClient::read_stdout() {
  // Reads until EOF, or until the worker has exited and what it left in the pipe is read: a
  // process the worker left behind may hold the pipe open for ever.
  std::string pending;
  char buffer[65536];
  std::optional<Clock::time_point> drain_until;
  while (true) {
    pollfd fd{stdout_fd_, POLLIN, 0};
    int ready = ::poll(&fd, 1, 100);
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) {
      if (!drain_until && child_exited()) drain_until = Clock::now() + std::chrono::milliseconds(kDrainAfterExitMs);
      if (drain_until && Clock::now() > *drain_until) break;
      continue;
    }
    ssize_t n = ::read(stdout_fd_, buffer, sizeof buffer);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) break;
    size_t scanned = pending.size();  // only the new bytes can hold a newline: a long line stays linear
    pending.append(buffer, static_cast<size_t>(n));
    size_t start = 0;
    for (size_t newline; (newline = pending.find('\n', scanned)) != std::string::npos; start = scanned = newline + 1) {
      handle_line(pending.substr(start, newline - start));
    }
    pending.erase(0, start);
    if (!pending.empty()) {
      // A long message is arriving: its pong waits behind it in the stream, but the worker is alive.
      std::lock_guard lock(mutex_);
      last_pong_at_ = Clock::now();
    }
    if (pending.size() > worker::kMaxLineBytes) {
      fail("the worker wrote garbage on stdout (a line longer than the protocol's 64 MiB limit)");
      pending.clear();
    }
    if (drain_until && Clock::now() > *drain_until) break;
  }
  if (!pending.empty()) handle_line(pending);  // a last line without its newline
  reap_after_eof();
}

void WorkerClient::reap_after_eof() {
  // stdout closed: the worker is exiting. Wait without reaping (WNOWAIT keeps the pid ours, so
  // a concurrent fail() cannot signal a stranger), kill it if it lingers, then reap.
  auto deadline = Clock::now() + std::chrono::milliseconds(2000);
  siginfo_t info{};
  while (true) {
    info.si_pid = 0;
    int rc = ::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT);
    if (rc == 0 && info.si_pid == pid_) break;
    if (rc != 0 && errno != EINTR) break;
    if (Clock::now() > deadline) {
      ::kill(pid_, SIGKILL);
      deadline = Clock::now() + std::chrono::hours(1);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  int status = 0;
  std::unique_lock lock(mutex_);
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  reaped_ = true;
  std::string how = describe_status(status);
  bool clean_stop = stopping_ && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  if (state_ == WorkerState::Starting || state_ == WorkerState::Ready) {
    if (stopping_) {
      state_ = WorkerState::Exited;
    } else {
      state_ = WorkerState::Failed;
      failure_ = "the worker exited unexpectedly (" + how + ")";
      push_event({{"type", "fault"}, {"message", failure_}});
    }
  }
  push_event({{"type", "exit"}, {"status", how}, {"clean", clean_stop}});
  changed_.notify_all();
}

void WorkerClient::keep_log(std::string line) {
  line = scrub_secrets(std::move(line));
  std::lock_guard lock(mutex_);
  log_.push_back(std::move(line));
  while (log_.size() > options_.log_lines_kept) log_.pop_front();
}

void WorkerClient::read_stderr() {
  // Like stdout: EOF, or a short drain once the worker is reaped (a leftover grandchild may
  // keep the pipe open).
  std::string pending;
  char buffer[8192];
  std::optional<Clock::time_point> drain_until;
  while (true) {
    pollfd fd{stderr_fd_, POLLIN, 0};
    int ready = ::poll(&fd, 1, 100);
    if (ready < 0 && errno != EINTR) break;
    if (!drain_until) {
      std::lock_guard lock(mutex_);
      if (reaped_) drain_until = Clock::now() + std::chrono::milliseconds(kDrainAfterExitMs);
    }
    if (drain_until && Clock::now() > *drain_until) break;
    if (ready <= 0) continue;
    ssize_t n = ::read(stderr_fd_, buffer, sizeof buffer);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) break;
    pending.append(buffer, static_cast<size_t>(n));
    size_t start = 0;
    for (size_t newline; (newline = pending.find('\n', start)) != std::string::npos; start = newline + 1) {
      keep_log(pending.substr(start, newline - start));
    }
    pending.erase(0, start);
    if (pending.size() > 4096) {  // a log line without end: keep it in pieces
      keep_log(pending);
      pending.clear();
    }
  }
  if (!pending.empty()) keep_log(pending);
}

void WorkerClient::monitor() {
  Clock::time_point last_ping{};
  std::unique_lock lock(mutex_);
  while (!reaped_) {
    changed_.wait_for(lock, std::chrono::milliseconds(std::min(options_.heartbeat_interval_ms, 100)));
    if (reaped_ || stopping_ || state_ == WorkerState::Failed) continue;
    auto now = Clock::now();
    if (state_ == WorkerState::Starting && now - started_at_ > std::chrono::milliseconds(options_.hello_timeout_ms)) {
      lock.unlock();
      fail("the worker sent no hello within " + std::to_string(options_.hello_timeout_ms) + " ms");
      lock.lock();
      continue;
    }
    if (state_ != WorkerState::Ready) continue;
    if (now - last_pong_at_ > std::chrono::milliseconds(options_.heartbeat_timeout_ms)) {
      lock.unlock();
      fail("the worker stopped answering heartbeats for " + std::to_string(options_.heartbeat_timeout_ms) + " ms (hung); it was killed");
      lock.lock();
      continue;
    }
    if (now - last_ping >= std::chrono::milliseconds(options_.heartbeat_interval_ms)) {
      last_ping = now;
      lock.unlock();
      write_line(worker::encode_line({{"type", "ping"}, {"id", next_id_++}}));
      lock.lock();
    }
  }
}

bool WorkerClient::poll_event(nlohmann::json& event) {
  std::lock_guard lock(mutex_);
  if (events_.empty()) return false;
  event = std::move(events_.front());
  events_.pop_front();
  return true;
}

bool WorkerClient::wait_event(nlohmann::json& event, int timeout_ms) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [this] { return !events_.empty(); });
  if (events_.empty()) return false;
  event = std::move(events_.front());
  events_.pop_front();
  return true;
}

WorkerState WorkerClient::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

std::string WorkerClient::failure() const {
  std::lock_guard lock(mutex_);
  return failure_;
}

nlohmann::json WorkerClient::hello() const {
  std::lock_guard lock(mutex_);
  return hello_;
}

std::vector<std::string> WorkerClient::log_tail() const {
  std::lock_guard lock(mutex_);
  return {log_.begin(), log_.end()};
}

void WorkerClient::stop(int grace_ms) {
  if (pid_ <= 0) return;
  bool reaped;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    reaped = reaped_;
    changed_.notify_all();
  }
  if (!reaped) {
    write_line(worker::encode_line({{"type", "shutdown"}}));
    {
      std::lock_guard lock(write_mutex_);
      if (stdin_fd_ >= 0) ::shutdown(stdin_fd_, SHUT_WR);  // EOF on its stdin as well
    }
    std::unique_lock lock(mutex_);
    if (!changed_.wait_for(lock, std::chrono::milliseconds(grace_ms), [this] { return reaped_; })) ::kill(pid_, SIGKILL);
  }
  if (stdout_thread_.joinable()) stdout_thread_.join();
  if (stderr_thread_.joinable()) stderr_thread_.join();
  if (monitor_thread_.joinable()) monitor_thread_.join();
  {
    std::lock_guard lock(write_mutex_);
    close_fd(stdin_fd_);
  }
  close_fd(stdout_fd_);
  close_fd(stderr_fd_);
  pid_ = -1;
}

}  // namespace idm::infer
