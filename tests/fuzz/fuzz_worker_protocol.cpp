// libFuzzer target: the worker protocol's lines, as either side reads them. Each input is cut
// into lines; every line goes through decode_line, then validate_event (idmscope's side) and
// validate_request (the worker's side). Nothing may throw, and a message that passed must be
// readable with get<>() in every field its schema names, as the readers do without checks.
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "worker/messages.hpp"
#include "worker/protocol.hpp"

using namespace idm;
using Json = nlohmann::json;

namespace {

void read_window_record(const Json& record) {
  (void)record["window"].get<int64_t>();
  (void)record["ok"].get<bool>();
  if (record.contains("start_frame")) (void)record["start_frame"].get<int>();
  if (record.contains("attempts")) (void)record["attempts"].get<int>();
  if (record.contains("raw")) (void)record["raw"].get<std::string>();
  if (record.contains("error")) (void)record["error"].get<std::string>();
  if (record.contains("bad_answer")) (void)record["bad_answer"].get<std::string>();
}

// What idmscope reads from an event that passed (infer_run.cpp, worker_client.cpp).
void read_event(const Json& event) {
  const std::string type = event["type"].get<std::string>();
  if (type == "hello") {
    (void)event["protocol"].get<int>();
  } else if (type == "progress") {
    fuzz::require(worker::message_id(event).has_value(), "progress passed without an id", event.dump());
    (void)event.value("stage", "");
    (void)event.value("done", 0);
    (void)event.value("total", 0);
    if (event.contains("grid_frames")) {
      int grid_frames = event["grid_frames"].get<int>();
      fuzz::require(grid_frames >= 0 && grid_frames <= worker::kMaxGridFrames, "grid_frames out of range passed");
    }
  } else if (type == "window_result") {
    read_window_record(event);
    fuzz::require(event["window"].get<int64_t>() >= 0, "negative window passed");
    if (event.contains("answer")) fuzz::require(event["answer"].is_array(), "non-array answer passed");
  } else if (type == "clip_result") {
    if (event.contains("grid_frames")) (void)event["grid_frames"].get<int>();
    if (event.contains("windows")) {
      for (const Json& record : event["windows"]) read_window_record(record);
    }
    (void)event.value("failed_windows", 0);
    (void)event.value("bad_answers", 0);
    if (event.contains("backend")) fuzz::require(event["backend"].is_object(), "non-object backend passed");
  } else if (type == "error") {
    (void)event["message"].get<std::string>();
  }
}

// What the worker reads from a run request that passed (clip_job.cpp).
void read_request(const Json& request) {
  if (request["type"].get<std::string>() != "run") return;
  (void)request["clip"]["key"].get<std::string>();
  (void)request["clip"]["video"].get<std::string>();
  (void)request["backend"]["name"].get<std::string>();
  const Json frames = request.value("frames", Json::object());
  (void)frames.value("max_edge_px", 0);
  (void)frames.value("burn_labels", false);
  const Json windows = request.value("windows", Json::object());
  for (const char* name : {"size", "stride", "keep_first", "keep_last"}) (void)windows.value(name, 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  while (!input.empty()) {
    size_t newline = input.find('\n');
    std::string_view line = input.substr(0, newline);
    input.remove_prefix(newline == std::string_view::npos ? input.size() : newline + 1);
    Json message;
    std::string error;
    if (!worker::decode_line(line, message, error)) {
      fuzz::require(!error.empty(), "decode_line failed without saying why", line);
      continue;
    }
    try {
      error.clear();
      if (worker::validate_event(message, error)) read_event(message);
      else fuzz::require(!error.empty(), "validate_event failed without naming the field", line);
      error.clear();
      if (worker::validate_request(message, error)) read_request(message);
      else fuzz::require(!error.empty(), "validate_request failed without naming the field", line);
      (void)worker::encode_line(message);
    } catch (const std::exception& exception) {
      std::string what = std::string("a message that passed could not be read: ") + exception.what();
      fuzz::fail(what.c_str(), line);
    }
  }
  return 0;
}
