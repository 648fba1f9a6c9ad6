// idmscope-worker: runs models on clips for the GUI and `idmscope infer`. Requests arrive as
// NDJSON on stdin, events leave as NDJSON on stdout, stderr is the log
// (docs/worker-protocol.md). The main loop only reads and dispatches, so it always answers
// pings and cancels at once; clips run on their own threads, windows on the pool.
#include <signal.h>

#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "clip_job.hpp"
#include "rollout_job.hpp"
#include "window_pool.hpp"
#include "worker/messages.hpp"
#include "worker/protocol.hpp"
#include "worker_output.hpp"

using namespace idm;
using namespace idm::worker_app;

namespace {

void join_finished(std::map<int64_t, std::unique_ptr<ClipJob>>& jobs) {
  for (auto it = jobs.begin(); it != jobs.end();) {
    if (it->second->finished) {
      it->second->thread.join();
      it = jobs.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && std::string(argv[1]) == "--help") {
    std::printf("idmscope-worker: speaks the worker protocol (docs/worker-protocol.md) on stdin/stdout; started by idmscope\n");
    return 0;
  }
  std::ios::sync_with_stdio(false);
  // A model program that exits without reading its request must not take us down: writes to
  // it fail with EPIPE instead, and become that window's error.
  ::signal(SIGPIPE, SIG_IGN);
  emit({{"type", "hello"},
        {"protocol", worker::kProtocolVersion},
        {"worker", "idmscope-worker"},
        {"version", "0.1.0"},
        {"backends", {"baseline", "openai", "command"}},
        {"requests", {"run", "rollout"}}});
  log_line("idmscope-worker: ready (protocol " + std::to_string(worker::kProtocolVersion) + ")");
  std::map<int64_t, std::unique_ptr<ClipJob>> jobs;
  {
    WindowPool pool;  // declared inside: destroyed after the jobs that use it are joined
    std::string line;
    while (std::getline(std::cin, line)) {
      join_finished(jobs);
      if (line.empty()) continue;
      nlohmann::json request;
      std::string error;
      if (line.size() > worker::kMaxLineBytes || !worker::decode_line(line, request, error)) {
        emit({{"type", "error"}, {"message", "bad request: " + error}});
        continue;
      }
      const std::string type = request["type"].get<std::string>();
      nlohmann::json id = request.contains("id") ? request["id"] : nlohmann::json();
      if (!worker::validate_request(request, error)) {
        log_line("bad request (" + error + "): " + worker::excerpt(line, 4000));
        std::optional<int64_t> request_id = worker::message_id(request);
        nlohmann::json event{{"type", "error"}, {"message", "bad request: " + error}};
        if (request_id) event["id"] = *request_id;
        emit(event);
        continue;
      }
      try {
        if (type == "ping") {
          emit({{"type", "pong"}, {"id", id}});
        } else if (type == "shutdown") {
          break;
        } else if (type == "cancel") {
          for (auto& [job_id, job] : jobs) {
            if (id.is_null() || (id.is_number_integer() && id.get<int64_t>() == job_id)) job->cancel = true;
          }
        } else if (type == "run") {
          if (!id.is_number_integer()) {
            emit({{"type", "error"}, {"message", "run: missing integer id"}});
            continue;
          }
          auto job = std::make_unique<ClipJob>();
          job->id = id.get<int64_t>();
          ClipJob* raw = job.get();
          job->thread = std::thread([raw, request, &pool] {
            try {
              run_clip_job(*raw, request, pool);
            } catch (const std::exception& exception) {
              emit({{"type", "error"}, {"id", raw->id}, {"message", std::string("run: ") + exception.what()}});
            }
            raw->finished = true;
          });
          jobs[raw->id] = std::move(job);
        } else if (type == "rollout") {
          auto job = std::make_unique<ClipJob>();
          job->id = id.get<int64_t>();
          ClipJob* raw = job.get();
          job->thread = std::thread([raw, request] {
            try {
              run_rollout_job(*raw, request);
            } catch (const std::exception& exception) {
              emit({{"type", "error"}, {"id", raw->id}, {"message", std::string("rollout: ") + exception.what()}});
            }
            raw->finished = true;
          });
          jobs[raw->id] = std::move(job);
        } else {
          emit({{"type", "error"}, {"id", id}, {"message", "unknown request type \"" + type + "\""}});
        }
      } catch (const std::exception& exception) {
        emit({{"type", "error"}, {"id", id}, {"message", type + ": " + exception.what()}});
      }
    }
    // stdin closed or shutdown: stop everything in flight, then leave.
    for (auto& [job_id, job] : jobs) job->cancel = true;
    for (auto& [job_id, job] : jobs) job->thread.join();
    jobs.clear();
  }
  log_line("idmscope-worker: bye");
  return 0;
}
