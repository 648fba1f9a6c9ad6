#include "rollout_job.hpp"

#include <filesystem>

#include "infer/program_runner.hpp"
#include "worker/messages.hpp"
#include "worker/protocol.hpp"
#include "worker_output.hpp"

namespace idm::worker_app {

namespace fs = std::filesystem;

namespace {

// The last non-empty line of the program's stdout.
std::string last_line(const std::string& text) {
  size_t end = text.find_last_not_of("\r\n \t");
  if (end == std::string::npos) return "";
  size_t begin = text.find_last_of('\n', end);
  begin = begin == std::string::npos ? 0 : begin + 1;
  return text.substr(begin, end + 1 - begin);
}

// frame_00000.png, frame_00001.png, ... without a gap.
int count_png_frames(const fs::path& out_dir) {
  int frames = 0;
  std::error_code ec;
  char name[32];
  while (true) {
    std::snprintf(name, sizeof name, "frame_%05d.png", frames);
    if (!fs::is_regular_file(out_dir / name, ec)) return frames;
    ++frames;
  }
}

}  // namespace

void run_rollout_job(ClipJob& job, const nlohmann::json& request) {
  const std::string trajectory = request["trajectory"].get<std::string>();
  const std::vector<std::string> command = request["command"].get<std::vector<std::string>>();
  const double timeout_s = request.contains("timeout_s") ? request["timeout_s"].get<double>() : 600.0;
  const int expected_frames = request["expected_frames"].get<int>();
  const nlohmann::json& input = request["input"];
  const fs::path out_dir = input["out_dir"].get<std::string>();
  const std::string program = fs::path(command.front()).filename().string();
  auto fail = [&](const std::string& message) {
    log_line("rollout " + trajectory + ": " + message);
    emit({{"type", "error"}, {"id", job.id}, {"trajectory", trajectory}, {"message", message}});
  };
  if (!(timeout_s > 0.0)) return fail("timeout_s must be > 0");
  std::error_code ec;
  fs::remove_all(out_dir, ec);  // a fresh folder: frames of an earlier attempt must not count
  fs::create_directories(out_dir, ec);
  if (ec) return fail("cannot create " + out_dir.string() + ": " + ec.message());
  emit({{"type", "progress"}, {"id", job.id}, {"trajectory", trajectory}, {"stage", "rollout"}, {"done", 0}, {"total", 1}});
  infer::ProgramOutcome outcome = infer::run_program(command, input.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n",
                                                     timeout_s, job.cancel, "[" + program + " " + trajectory + "] ");
  if (job.cancel) {
    emit({{"type", "cancelled"}, {"id", job.id}, {"trajectory", trajectory}});
    return;
  }
  if (!outcome.ok) return fail(outcome.error);
  std::string line = last_line(outcome.stdout_text);
  nlohmann::json answer = nlohmann::json::parse(line, nullptr, false);
  if (answer.is_discarded() || !answer.is_object() || !answer.contains("ok") || !answer["ok"].is_boolean()) {
    return fail(program + ": its last stdout line is not {\"ok\": ...}: " + (line.empty() ? std::string("(no output)") : worker::excerpt(line)));
  }
  if (!answer["ok"].get<bool>()) {
    std::string why = answer.contains("error") && answer["error"].is_string() ? answer["error"].get<std::string>() : "no reason given";
    return fail(program + ": the model says it failed: " + why);
  }
  bool includes_context = false;
  double fps = 16.0;
  if (answer.contains("includes_context")) {
    if (!answer["includes_context"].is_boolean()) return fail(program + ": includes_context: expected true or false");
    includes_context = answer["includes_context"].get<bool>();
  }
  if (answer.contains("fps")) {
    if (!answer["fps"].is_number() || !(answer["fps"].get<double>() > 0.0) || answer["fps"].get<double>() > 1000.0)
      return fail(program + ": fps: expected a number in (0, 1000]");
    fps = answer["fps"].get<double>();
  }
  if (!answer.contains("frames") || !answer["frames"].is_number_integer() || answer["frames"].get<int64_t>() < 1 ||
      answer["frames"].get<int64_t>() > worker::kMaxGridFrames)
    return fail(program + ": frames: expected the number of frames written");
  const int said = answer["frames"].get<int>();
  std::string files = "png";
  int found = 0;
  if (fs::is_regular_file(out_dir / "rollout.mp4", ec)) {
    files = "mp4";
    found = said;  // counted by whoever decodes it
  } else {
    found = count_png_frames(out_dir);
    if (found != said) return fail(program + ": said " + std::to_string(said) + " frames, wrote " + std::to_string(found) + " (frame_00000.png ..)");
  }
  // At 16 fps a rollout needs the GT's frames; at another rate, its share of them.
  const int needed = (includes_context ? static_cast<int>(input.value("context", nlohmann::json::array()).size()) : 0) +
                     static_cast<int>(expected_frames * fps / 16.0 + 0.5);
  if (found < needed) {
    return fail(program + ": too few frames: " + std::to_string(found) + " written, the actions need " + std::to_string(needed));
  }
  emit({{"type", "rollout_result"}, {"id", job.id}, {"trajectory", trajectory}, {"frames", found},
        {"includes_context", includes_context}, {"fps", fps}, {"files", files}});
}

}  // namespace idm::worker_app
