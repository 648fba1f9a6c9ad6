// `idmscope bench infer`: does the openai backend really keep K requests in flight? Sends N
// windows to an OpenAI-compatible server with a fixed latency, once with K = 1 (the same-run
// baseline) and once with K, and prints wall / (total latency / K): 1.0 is perfect overlap.
// Without --api-url it starts the test suite's mock server (tests/infer/mock_openai.py).
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <barrier>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>

#include "cli_args.hpp"
#include "cli_commands.hpp"
#include "infer/backend.hpp"
#include "infer/frame_image.hpp"
#include "scoring/profile.hpp"

extern char** environ;

namespace idm::cli {

namespace {

const char* kBenchInferHelp =
    "usage: idmscope bench infer [--api-url URL] [--concurrency K] [--requests N] [--latency-ms L]\n"
    "                            [--python EXE] [--mock PATH]\n"
    "  Sends N windows (10 small PNG frames each; default 96) through the openai backend to a\n"
    "  server with a fixed latency, with K = 1 and with K (default 8), and prints the wall time,\n"
    "  the summed request latency, and ratio = wall / (summed latency / K). Without --api-url the\n"
    "  mock server is started with --latency-ms L (default 200). Each of the K threads first sends\n"
    "  one untimed request (connections, server threads), so the figure is the steady state.\n"
    "  Target: ratio <= 1.1.\n";

struct Measure {
  double wall_s = 0;
  double latency_sum_s = 0;
  int failed = 0;
};

Measure run_windows(const std::string& api_url, int concurrency, int requests) {
  nlohmann::json config{{"name", "openai"}, {"api_url", api_url}, {"model", "bench"}, {"concurrency", concurrency}, {"max_retries", 0}};
  std::string error;
  std::unique_ptr<infer::Backend> backend = infer::make_backend(config, error);
  if (!backend) throw UsageError{error};
  infer::FrameImage frame;
  frame.width = frame.height = 64;
  frame.rgba.assign(64 * 64 * 4, 128);
  std::string png = infer::encode_png(frame);
  std::atomic<int> next{0};
  std::atomic<bool> cancel{false};
  std::mutex mutex;
  Measure out;
  auto window = [&](int i) {
    infer::WindowInput input;
    input.clip_key = "bench/clip_" + std::to_string(i);
    input.window_index = 0;
    for (int f = 0; f < 10; ++f) {
      input.frames.push_back(&frame);
      input.pngs.push_back(png);
    }
    return input;
  };
  // Each thread first sends one untimed request (connection set-up, server threads), then all
  // start together: the figure is the steady state a long run sees.
  std::barrier warmed_up(concurrency + 1);
  std::vector<std::thread> threads;
  for (int t = 0; t < concurrency; ++t) {
    threads.emplace_back([&, t] {
      backend->run_window(window(-1 - t), cancel);
      warmed_up.arrive_and_wait();
      for (int i; (i = next++) < requests;) {
        infer::WindowInput input = window(i);
        auto sent = std::chrono::steady_clock::now();
        infer::WindowAnswer answer = backend->run_window(input, cancel);
        double latency = std::chrono::duration<double>(std::chrono::steady_clock::now() - sent).count();
        std::lock_guard lock(mutex);
        out.latency_sum_s += latency;
        out.failed += answer.ok ? 0 : 1;
      }
    });
  }
  warmed_up.arrive_and_wait();
  auto start = std::chrono::steady_clock::now();
  for (std::thread& thread : threads) thread.join();
  out.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

// Starts the mock server; returns its pid and base URL.
pid_t start_mock(const std::string& python, const std::string& script, int latency_ms, std::string& api_url) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) throw UsageError{"cannot create a pipe"};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  std::string latency = std::to_string(latency_ms);
  std::vector<std::string> args{python, script, "--dataset", "/nonexistent", "--latency-ms", latency};
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, python.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  if (rc != 0) {
    close(pipe_fds[0]);
    throw UsageError{"cannot start " + python + " " + script};
  }
  std::string line;
  char c;
  while (read(pipe_fds[0], &c, 1) == 1 && c != '\n') line.push_back(c);
  close(pipe_fds[0]);
  if (line.rfind("PORT ", 0) != 0) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    throw UsageError{"the mock server did not start (" + script + ")"};
  }
  api_url = "http://127.0.0.1:" + line.substr(5) + "/v1";
  return pid;
}

}  // namespace

int run_bench_infer(int argc, char** argv) {
  Args args(argc, argv, 3);
  if (args.wants_help()) {
    std::fputs(kBenchInferHelp, stdout);
    return 0;
  }
  auto api_url_flag = args.value("--api-url");
  int concurrency = args.int_value("--concurrency", 8, 1, 256);
  int requests = args.int_value("--requests", 96, 1, 100000);
  int latency_ms = args.int_value("--latency-ms", 200, 0, 60000);
  std::string python = args.value("--python").value_or("python3");
  std::string mock = args.value("--mock").value_or((assets_dir() / ".." / "tests" / "infer" / "mock_openai.py").lexically_normal().string());
  args.finish();
  std::string api_url;
  pid_t mock_pid = -1;
  if (api_url_flag) api_url = *api_url_flag;
  else mock_pid = start_mock(python, mock, latency_ms, api_url);
  std::printf("server: %s%s\n", api_url.c_str(), mock_pid > 0 ? (" (mock, latency " + std::to_string(latency_ms) + " ms)").c_str() : "");
  int baseline_requests = std::max(1, requests / concurrency);
  Measure one = run_windows(api_url, 1, baseline_requests);
  Measure many = run_windows(api_url, concurrency, requests);
  if (mock_pid > 0) {
    kill(mock_pid, SIGTERM);
    waitpid(mock_pid, nullptr, 0);
  }
  std::printf("baseline K=1: %d requests, wall %.3f s, mean latency %.1f ms\n", baseline_requests, one.wall_s,
              1000 * one.latency_sum_s / baseline_requests);
  std::printf("K=%d: %d requests, wall %.3f s, summed latency %.3f s, mean latency %.1f ms, failed %d\n", concurrency, requests,
              many.wall_s, many.latency_sum_s, 1000 * many.latency_sum_s / requests, many.failed);
  double ratio = many.wall_s / (many.latency_sum_s / concurrency);
  double speedup = (one.wall_s / baseline_requests) / (many.wall_s / requests);
  std::printf("ratio wall / (summed latency / %d) = %.3f (target <= 1.1); throughput vs K=1: %.2fx\n", concurrency, ratio, speedup);
  if (mock_pid > 0) {
    double nominal = many.wall_s / (requests * latency_ms / 1000.0 / concurrency);
    std::printf("ratio wall / (%d x %d ms / %d) = %.3f (against the server's nominal latency)\n", requests, latency_ms, concurrency, nominal);
  }
  return many.failed > 0 || one.failed > 0 ? 1 : 0;
}

}  // namespace idm::cli
