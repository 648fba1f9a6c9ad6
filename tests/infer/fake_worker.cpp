// A fault-injecting fake worker for the client tests. argv[1] picks the behaviour:
//   ok              speaks the protocol: run -> progress, window_result, clip_result
//   no-hello        never says hello
//   bad-version     says hello with protocol 99
//   crash-on-run    aborts (SIGABRT) when a run arrives
//   hang-on-run     stops reading and answering (no more pongs) when a run arrives
//   garbage-on-run  writes a line that is not JSON when a run arrives
//   exit-on-run     writes one progress event, then exits with code 3 halfway through
//   ignore-shutdown never exits on its own (the client must kill it)
//   slow-run        a run takes 10 s unless cancelled (then answers "cancelled" at once)
//   send-on-first-run=JSON
//                   the first run first gets the JSON object as an event (its "id" is the run's
//                   unless the object has one), then the usual events; later runs are as "ok"
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "worker/protocol.hpp"

namespace {

std::mutex out_mutex;

void emit(const nlohmann::json& message) {
  std::lock_guard lock(out_mutex);
  std::string line = message.dump() + "\n";
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fflush(stdout);
}

void sleep_forever() {
  while (true) std::this_thread::sleep_for(std::chrono::seconds(1));
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode = argc > 1 ? argv[1] : "ok";
  nlohmann::json first_run_event;
  static const std::string kSendPrefix = "send-on-first-run=";
  if (mode.rfind(kSendPrefix, 0) == 0) {
    first_run_event = nlohmann::json::parse(mode.substr(kSendPrefix.size()));
    mode = "send-on-first-run";
  }
  std::fprintf(stderr, "fake worker: mode %s\n", mode.c_str());
  if (mode == "no-hello") sleep_forever();
  emit({{"type", "hello"}, {"protocol", mode == "bad-version" ? 99 : mode == "old-version" ? 1 : idm::worker::kProtocolVersion}, {"worker", "fake"}});
  std::atomic<bool> cancelled{false};
  std::thread slow_job;
  std::string line;
  while (std::getline(std::cin, line)) {
    nlohmann::json request = nlohmann::json::parse(line, nullptr, false);
    if (!request.is_object()) continue;
    std::string type = request.value("type", "");
    nlohmann::json id = request.contains("id") ? request["id"] : nlohmann::json();
    if (type == "ping") emit({{"type", "pong"}, {"id", id}});
    if (type == "shutdown" && mode != "ignore-shutdown") break;
    if (type == "cancel") cancelled = true;
    if (type != "run") continue;
    std::fprintf(stderr, "fake worker: run %s\n", id.dump().c_str());
    if (mode == "crash-on-run") std::abort();
    if (mode == "hang-on-run") sleep_forever();
    if (mode == "garbage-on-run") {
      std::fputs("Traceback (most recent call last): this is not JSON\n", stdout);
      std::fflush(stdout);
      continue;
    }
    if (mode == "send-on-first-run" && first_run_event.is_object()) {
      if (!first_run_event.contains("id")) first_run_event["id"] = id;
      emit(first_run_event);
      first_run_event = nullptr;
    }
    emit({{"type", "progress"}, {"id", id}, {"stage", "windows"}, {"done", 0}, {"total", 1}});
    if (mode == "exit-on-run") std::_Exit(3);
    if (mode == "slow-run") {
      if (slow_job.joinable()) slow_job.join();
      slow_job = std::thread([id, &cancelled] {
        for (int i = 0; i < 1000 && !cancelled; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        emit({{"type", cancelled ? "cancelled" : "clip_result"}, {"id", id}});
      });
      continue;
    }
    emit({{"type", "window_result"}, {"id", id}, {"window", 0}, {"start_frame", 0}, {"ok", true}, {"raw", "[]"}, {"answer", nlohmann::json::array()}});
    emit({{"type", "clip_result"}, {"id", id}, {"clip", request.value("clip", nlohmann::json::object()).value("key", "")},
          {"predictions", nlohmann::json::array()}});
  }
  if (mode == "ignore-shutdown") sleep_forever();
  if (slow_job.joinable()) slow_job.join();
  return 0;
}
