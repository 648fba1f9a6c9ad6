// The worker client against a fault-injecting fake worker: each way a worker can fail is
// turned into one fault event, the child is always reaped, and the client stays usable.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <cerrno>
#include <chrono>

#include "infer/worker_client.hpp"
#include "worker/protocol.hpp"

using namespace idm::infer;

namespace {

WorkerClientOptions fake(const std::string& mode) {
  WorkerClientOptions options;
  options.argv = {IDMSCOPE_FAKE_WORKER, mode};
  options.hello_timeout_ms = 400;
  options.heartbeat_interval_ms = 50;
  options.heartbeat_timeout_ms = 400;
  return options;
}

// Waits for an event of `type`; returns it (null on timeout).
nlohmann::json wait_for(WorkerClient& client, const std::string& type, int timeout_ms = 5000) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  nlohmann::json event;
  while (std::chrono::steady_clock::now() < deadline) {
    if (client.wait_event(event, 50) && event.value("type", "") == type) return event;
  }
  return nullptr;
}

// The pid no longer exists at all: not running, not a zombie.
bool fully_gone(pid_t pid) { return ::kill(pid, 0) == -1 && errno == ESRCH; }

void expect_fault(const std::string& mode, const std::string& words, bool send_run = true) {
  CAPTURE(mode);
  WorkerClient client(fake(mode));
  std::string error;
  REQUIRE(client.start(error));
  pid_t pid = client.pid();
  if (send_run) {
    REQUIRE(wait_for(client, "hello").is_object());
    REQUIRE(client.send_request({{"type", "run"}, {"clip", {{"key", "a/clip_000"}}}}) > 0);
  }
  nlohmann::json fault = wait_for(client, "fault");
  REQUIRE(fault.is_object());
  CHECK(fault["message"].get<std::string>().find(words) != std::string::npos);
  CHECK(client.state() == WorkerState::Failed);
  CHECK(client.failure() == fault["message"].get<std::string>());
  CHECK(wait_for(client, "exit").is_object());
  CHECK(fully_gone(pid));
  CHECK(client.send_request({{"type", "run"}}) == -1);  // refused, no crash, no SIGPIPE
  client.stop();
}

}  // namespace

TEST_CASE("worker client: a healthy worker answers runs, heartbeats and shuts down cleanly") {
  WorkerClient client(fake("ok"));
  std::string error;
  REQUIRE(client.start(error));
  pid_t pid = client.pid();
  nlohmann::json hello = wait_for(client, "hello");
  REQUIRE(hello.is_object());
  CHECK(hello["protocol"] == idm::worker::kProtocolVersion);
  CHECK(client.state() == WorkerState::Ready);
  int64_t id = client.send_request({{"type", "run"}, {"clip", {{"key", "rec/clip_001"}}}});
  REQUIRE(id > 0);
  nlohmann::json result = wait_for(client, "clip_result");
  REQUIRE(result.is_object());
  CHECK(result["id"] == id);
  CHECK(result["clip"] == "rec/clip_001");
  // Several heartbeat timeouts pass: pongs keep it alive.
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  CHECK(client.state() == WorkerState::Ready);
  CHECK(client.log_tail().size() >= 1);
  errno = 0;
  CHECK(getpriority(PRIO_PROCESS, static_cast<id_t>(pid)) == getpriority(PRIO_PROCESS, 0));  // nice 0: as we are
  client.stop();
  CHECK(fully_gone(pid));
  CHECK(client.failure().empty());
}

TEST_CASE("worker client: a nice value puts the worker below us") {
  WorkerClientOptions options = fake("ok");
  options.nice = 19;
  WorkerClient client(options);
  std::string error;
  REQUIRE(client.start(error));
  REQUIRE(wait_for(client, "hello").is_object());
  errno = 0;
  CHECK(getpriority(PRIO_PROCESS, static_cast<id_t>(client.pid())) == 19);
}

TEST_CASE("worker client: cancel reaches the worker and stops its job within 1 s") {
  WorkerClient client(fake("slow-run"));
  std::string error;
  REQUIRE(client.start(error));
  REQUIRE(wait_for(client, "hello").is_object());
  int64_t id = client.send_request({{"type", "run"}});
  REQUIRE(wait_for(client, "progress").is_object());
  auto asked = std::chrono::steady_clock::now();
  client.cancel(id);
  nlohmann::json cancelled = wait_for(client, "cancelled", 3000);
  REQUIRE(cancelled.is_object());
  CHECK(std::chrono::steady_clock::now() - asked < std::chrono::seconds(1));
}

TEST_CASE("worker client: crash, hang, garbage, early exit, no hello and a wrong version are faults") {
  expect_fault("crash-on-run", "killed by signal 6");
  expect_fault("hang-on-run", "stopped answering heartbeats");
  expect_fault("garbage-on-run", "garbage");
  expect_fault("exit-on-run", "exit code 3");
  expect_fault("no-hello", "no hello", false);
  expect_fault("bad-version", "protocol version 99", false);
  // A worker from before the rollout request: refused at hello, saying why.
  expect_fault("old-version", "an older worker: it has no rollout request", false);
}

TEST_CASE("worker client: a worker that ignores shutdown is killed and reaped") {
  WorkerClient client(fake("ignore-shutdown"));
  std::string error;
  REQUIRE(client.start(error));
  pid_t pid = client.pid();
  REQUIRE(wait_for(client, "hello").is_object());
  auto asked = std::chrono::steady_clock::now();
  client.stop(300);
  CHECK(std::chrono::steady_clock::now() - asked < std::chrono::seconds(2));
  CHECK(fully_gone(pid));
}

TEST_CASE("worker client: a missing executable is a clear error") {
  WorkerClientOptions options;
  options.argv = {"/nonexistent/idmscope-worker"};
  WorkerClient client(options);
  std::string error;
  CHECK_FALSE(client.start(error));
  CHECK(error.find("/nonexistent/idmscope-worker") != std::string::npos);
}

namespace {

// A worker whose first run gets `event` first: the run fails with a protocol error naming
// `field`, the raw line is in the log, and the worker stays usable for the next run.
void expect_protocol_error(const nlohmann::json& event, const std::string& field) {
  CAPTURE(event.dump());
  WorkerClient client(fake("send-on-first-run=" + event.dump()));
  std::string error;
  REQUIRE(client.start(error));
  REQUIRE(wait_for(client, "hello").is_object());
  int64_t first = client.send_request({{"type", "run"}, {"clip", {{"key", "a/clip_000"}}}});
  nlohmann::json failed = wait_for(client, "error");
  REQUIRE(failed.is_object());
  CHECK(failed["id"] == first);
  CHECK(failed.value("protocol_error", false));
  CHECK(failed["message"].get<std::string>().find(field) != std::string::npos);
  bool logged = false;
  for (const std::string& line : client.log_tail()) logged = logged || (line.find("protocol error") != std::string::npos && line.find(field.substr(field.find('.') + 1)) != std::string::npos);
  CHECK(logged);
  CHECK(client.state() == WorkerState::Ready);
  int64_t second = client.send_request({{"type", "run"}, {"clip", {{"key", "a/clip_001"}}}});
  nlohmann::json result = wait_for(client, "clip_result");
  if (result.is_object() && result["id"] == first) result = wait_for(client, "clip_result");  // the first run's late answer
  REQUIRE(result.is_object());
  CHECK(result["id"] == second);
  client.stop();
  CHECK(client.failure().empty());
}

}  // namespace

TEST_CASE("worker client: a malformed field fails that request only, named, with the raw line in the log") {
  expect_protocol_error({{"type", "progress"}, {"stage", "windows"}, {"done", 0}, {"total", "x"}}, "progress.total");
  expect_protocol_error({{"type", "clip_result"}, {"failed_windows", "many"}}, "clip_result.failed_windows");
  expect_protocol_error({{"type", "error"}, {"message", 12345}}, "error.message");
  expect_protocol_error({{"type", "progress"}, {"stage", "windows"}, {"done", 0}, {"total", 1}, {"grid_frames", 1e12}}, "progress.grid_frames");
  expect_protocol_error({{"type", "progress"}, {"stage", "windows"}, {"done", -1}, {"total", 1}}, "progress.done");
  expect_protocol_error({{"type", "window_result"}, {"window", "zero"}, {"ok", true}}, "window_result.window");
  expect_protocol_error({{"type", "window_result"}, {"window", 0}, {"ok", nullptr}}, "window_result.ok");
  expect_protocol_error({{"type", "window_result"}, {"window", 0}, {"ok", true}, {"raw", 5}}, "window_result.raw");
  expect_protocol_error({{"type", "window_result"}, {"window", 0}, {"ok", true}, {"answer", "[]"}}, "window_result.answer");
  expect_protocol_error({{"type", "clip_result"}, {"windows", {{{"window", 0}, {"ok", true}, {"error", 7}}}}}, "clip_result.windows[0].error");
  expect_protocol_error({{"type", "clip_result"}, {"windows", {1, 2}}}, "clip_result.windows[0]");
  expect_protocol_error({{"type", "clip_result"}, {"backend", "baseline"}}, "clip_result.backend");
  expect_protocol_error({{"type", "clip_result"}, {"grid_frames", 5000000000LL}}, "clip_result.grid_frames");
}

TEST_CASE("worker client: a malformed message that names no request is a fault, not an exception") {
  expect_fault("send-on-first-run=" + nlohmann::json({{"type", "progress"}, {"id", "seven"}, {"stage", "x"}, {"done", 0}, {"total", 1}}).dump(),
               "progress.id");
  expect_fault("send-on-first-run=" + nlohmann::json({{"type", "error"}, {"message", {1, 2}}}).dump().replace(1, 0, "\"id\":null,"),
               "error.message");
}
