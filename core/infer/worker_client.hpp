#pragma once
// The client side of the worker protocol: starts a worker executable without a shell
// (posix_spawn + argument vector), checks its hello, sends requests with ids, sends
// heartbeats, and turns every way a worker can fail (crash, hang, garbage, early exit, no
// hello, wrong version) into one "fault" event. The child is always reaped (no zombies).
//
// Threads: the owner's thread calls the public methods; a stdout reader, a stderr reader and
// a monitor (hello timeout + heartbeat) run inside. Everything they share is guarded by mutex_.
#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace idm::infer {

struct WorkerClientOptions {
  std::vector<std::string> argv;   // argv[0] is the executable's path
  int hello_timeout_ms = 10000;
  int heartbeat_interval_ms = 1000;
  int heartbeat_timeout_ms = 5000;  // no pong for this long: the worker is hung and is killed
  size_t log_lines_kept = 400;      // the tail of the worker's stderr
  int nice = 0;                     // > 0: the worker runs below us (the viewer sets 19 so its UI keeps its frames)
};

enum class WorkerState { NotStarted, Starting, Ready, Failed, Exited };

const char* worker_state_name(WorkerState state);

class WorkerClient {
 public:
  explicit WorkerClient(WorkerClientOptions options);
  ~WorkerClient();  // stop()
  WorkerClient(const WorkerClient&) = delete;
  WorkerClient& operator=(const WorkerClient&) = delete;

  // Spawns the worker; false with error when it cannot be started at all.
  bool start(std::string& error);

  // Sends a request, giving it the next id (returned); -1 when the worker is not running.
  int64_t send_request(nlohmann::json request);
  void cancel(int64_t request_id);
  void cancel_all();

  // Worker events in arrival order, plus the client's own: {"type":"fault","message"} once
  // when the worker fails, and {"type":"exit","status"} once it has been reaped.
  bool poll_event(nlohmann::json& event);
  bool wait_event(nlohmann::json& event, int timeout_ms);

  WorkerState state() const;
  std::string failure() const;          // the fault's message, "" when none
  nlohmann::json hello() const;         // the worker's hello (null before it arrived)
  std::vector<std::string> log_tail() const;
  pid_t pid() const { return pid_; }

  // Asks the worker to shut down, waits up to grace_ms, then kills it; reaps and joins.
  void stop(int grace_ms = 2000);

 private:
  void read_stdout();
  void read_stderr();
  void monitor();
  void handle_line(const std::string& line);
  void fail(const std::string& message);      // takes mutex_
  void push_event(nlohmann::json event);      // mutex_ held
  bool write_line(const std::string& line);
  void reap_after_eof();
  bool child_exited() const;                   // without reaping it
  void keep_log(std::string line);             // takes mutex_

  // How long the readers keep reading after the worker exited (what it wrote last).
  static constexpr int kDrainAfterExitMs = 300;

  WorkerClientOptions options_;
  pid_t pid_ = -1;
  int stdin_fd_ = -1;   // a socket (send with MSG_NOSIGNAL: a dead worker is no SIGPIPE)
  int stdout_fd_ = -1;
  int stderr_fd_ = -1;
  std::thread stdout_thread_, stderr_thread_, monitor_thread_;
  std::atomic<int64_t> next_id_{1};
  std::mutex write_mutex_;  // one writer at a time on stdin_fd_

  mutable std::mutex mutex_;  // guards everything below
  std::condition_variable changed_;
  WorkerState state_ = WorkerState::NotStarted;
  std::string failure_;
  nlohmann::json hello_;
  std::deque<nlohmann::json> events_;
  std::deque<std::string> log_;
  bool reaped_ = false;
  bool stopping_ = false;
  std::chrono::steady_clock::time_point started_at_{};
  std::chrono::steady_clock::time_point last_pong_at_{};
};

}  // namespace idm::infer
