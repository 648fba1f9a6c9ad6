#include "clip_job.hpp"

#include <condition_variable>
#include <mutex>
#include <optional>

#include "infer/backend.hpp"
#include "infer/frame_pipeline.hpp"
#include "infer/window_merge.hpp"
#include "worker/protocol.hpp"
#include "worker_output.hpp"

namespace idm::worker_app {

namespace {

WindowSpec window_spec_of(const nlohmann::json& request) {
  WindowSpec spec;
  const nlohmann::json windows = request.value("windows", nlohmann::json::object());
  spec.size = windows.value("size", spec.size);
  spec.stride = windows.value("stride", spec.stride);
  spec.keep_first = windows.value("keep_first", spec.keep_first);
  spec.keep_last = windows.value("keep_last", spec.keep_last);
  return spec;
}

// Shared by the window tasks of one clip; guarded by mutex.
struct WindowTally {
  std::mutex mutex;
  std::condition_variable all_done;
  int done = 0;
  std::vector<std::optional<nlohmann::json>> answers;
  nlohmann::json windows = nlohmann::json::array();
};

}  // namespace

void run_clip_job(ClipJob& job, const nlohmann::json& request, WindowPool& pool) {
  const std::string clip = request.value("clip", nlohmann::json::object()).value("key", "");
  const std::string video = request.value("clip", nlohmann::json::object()).value("video", "");
  auto fail = [&](const std::string& message) {
    log_line("clip " + clip + ": " + message);
    emit({{"type", "error"}, {"id", job.id}, {"clip", clip}, {"message", message}});
  };
  std::string error;
  std::unique_ptr<infer::Backend> backend = infer::make_backend(request.value("backend", nlohmann::json()), error);
  if (!backend) return fail(error);
  const std::string backend_name = request["backend"].value("name", "");
  const nlohmann::json frames_config = request.value("frames", nlohmann::json::object());
  infer::FramePipelineOptions options;
  options.max_edge_px = frames_config.value("max_edge_px", infer::default_max_edge_px(backend_name));
  bool burn_labels = frames_config.value("burn_labels", backend->wants_png());
  WindowSpec spec = window_spec_of(request);
  if (spec.size < 1 || spec.stride < 1 || spec.keep_first < 0 || spec.keep_last < spec.keep_first) return fail("windows: invalid window spec");

  emit({{"type", "progress"}, {"id", job.id}, {"clip", clip}, {"stage", "decode"}, {"done", 0}, {"total", 1}});
  std::vector<infer::FrameImage> frames;
  if (!infer::extract_grid_frames(video, options, frames, error, &job.cancel)) {
    if (job.cancel) {
      emit({{"type", "cancelled"}, {"id", job.id}, {"clip", clip}});
      return;
    }
    return fail(error);
  }
  std::unique_ptr<infer::LabelBurner> burner;
  if (burn_labels && backend->wants_png()) {
    burner = std::make_unique<infer::LabelBurner>(error);
    if (!burner->ok()) return fail("cannot burn frame labels: " + error);
  }
  const int grid_frames = static_cast<int>(frames.size());
  std::vector<int> starts = window_starts(grid_frames, spec);
  const int total = static_cast<int>(starts.size());
  emit({{"type", "progress"}, {"id", job.id}, {"clip", clip}, {"stage", "windows"}, {"done", 0}, {"total", total}, {"grid_frames", grid_frames}});
  log_line("clip " + clip + ": " + std::to_string(grid_frames) + " grid frames, " + std::to_string(total) + " windows, backend " + backend_name);

  WindowTally tally;
  tally.answers.resize(starts.size());
  tally.windows = nlohmann::json::array();
  for (int w = 0; w < total; ++w) tally.windows.push_back(nullptr);
  pool.ensure_threads(backend->concurrency());
  for (int w = 0; w < total; ++w) {
    pool.submit([&, w] {
      infer::WindowAnswer answer;
      if (job.cancel) {
        answer.error = "cancelled";
      } else {
        infer::WindowInput input;
        input.clip_key = clip;
        input.window_index = w;
        input.start_frame = starts[static_cast<size_t>(w)];
        for (int local = 0; local < spec.size && input.start_frame + local < grid_frames; ++local) {
          input.frames.push_back(&frames[static_cast<size_t>(input.start_frame + local)]);
        }
        try {  // one bad window must not take the worker down
          if (backend->wants_png()) input.pngs = infer::encode_window(frames, w, input.start_frame, spec.size, burner.get()).pngs;
          answer = backend->run_window(input, job.cancel);
        } catch (const std::exception& exception) {
          answer = infer::WindowAnswer{};
          answer.error = std::string("internal error: ") + exception.what();
        }
      }
      if (answer.ok && answer.raw_text.size() > worker::kMaxAnswerBytes) {
        answer.ok = false;
        answer.error = "the answer is " + std::to_string(answer.raw_text.size()) + " bytes, over the limit of " +
                       std::to_string(worker::kMaxAnswerBytes >> 20) + " MiB";
        answer.raw_text = answer.raw_text.substr(0, 1000);
      }
      infer::ReadAnswer read = answer.ok ? infer::read_answer(answer.raw_text) : infer::ReadAnswer{};
      nlohmann::json record{{"window", w}, {"start_frame", starts[static_cast<size_t>(w)]}, {"ok", answer.ok},
                            {"attempts", answer.attempts}, {"raw", answer.raw_text}};
      auto event_of = [&](const nlohmann::json& window_record, const nlohmann::json& items) {
        nlohmann::json event = window_record;
        event["type"] = "window_result";
        event["id"] = job.id;
        event["clip"] = clip;
        event["answer"] = items;
        return encode_event(event);
      };
      if (answer.ok && !read.problem.empty()) record["bad_answer"] = read.problem;
      std::string line = answer.ok ? event_of(record, read.items) : std::string();
      if (line.size() > worker::kMaxLineBytes) {  // escaping made it too long to pass on
        answer.ok = false;
        answer.error = "the answer's window_result is " + std::to_string(line.size()) + " bytes, over the worker protocol's limit of " +
                       std::to_string(worker::kMaxLineBytes >> 20) + " MiB";
        record = {{"window", w}, {"start_frame", starts[static_cast<size_t>(w)]}, {"ok", false}, {"attempts", answer.attempts},
                  {"raw", answer.raw_text.substr(0, 1000)}};
        read = infer::ReadAnswer{};
      }
      if (!answer.ok) {
        record["error"] = answer.error;
        line = event_of(record, nlohmann::json::array());
      }
      if (!answer.ok && !job.cancel) log_line("clip " + clip + " window " + std::to_string(w) + ": " + answer.error);
      if (answer.ok && !read.problem.empty()) {
        log_line("clip " + clip + " window " + std::to_string(w) + ": " + read.problem + ", scored as []: '" + worker::excerpt(answer.raw_text, 200) + "'");
      }
      record.erase("raw");  // the clip_result does not repeat the answers (window_result carried them)
      // Everything under the tally's lock, and nothing after it: once done == total the job
      // thread returns and this clip's locals (tally, frames) are gone.
      std::lock_guard lock(tally.mutex);
      if (answer.ok) tally.answers[static_cast<size_t>(w)] = std::move(read.items);
      tally.windows[static_cast<size_t>(w)] = std::move(record);
      int done = ++tally.done;
      if (!job.cancel) {
        emit_line(line);
        emit({{"type", "progress"}, {"id", job.id}, {"clip", clip}, {"stage", "windows"}, {"done", done}, {"total", total}});
      }
      tally.all_done.notify_all();
    });
  }
  {
    std::unique_lock lock(tally.mutex);
    tally.all_done.wait(lock, [&] { return tally.done == total; });
  }
  if (job.cancel) {
    emit({{"type", "cancelled"}, {"id", job.id}, {"clip", clip}});
    return;
  }
  infer::MergedAnswer merged = infer::merge_window_answers(tally.answers, grid_frames, spec);
  int failed = 0, bad_answers = 0;
  for (const auto& record : tally.windows) {
    failed += record.value("ok", false) ? 0 : 1;
    bad_answers += record.contains("bad_answer") ? 1 : 0;
  }
  nlohmann::json result{{"type", "clip_result"}, {"id", job.id}, {"clip", clip}, {"grid_frames", grid_frames}, {"predictions", merged.items},
                        {"windows", tally.windows}, {"failed_windows", failed}, {"bad_answers", bad_answers},
                        {"dropped_unreadable", merged.dropped_unreadable}, {"dropped_outside", merged.dropped_outside},
                        {"backend", backend->describe()}};
  std::string line = encode_event(result);
  if (line.size() > worker::kMaxLineBytes) {  // the windows' answers together: idmscope merges them itself
    result.erase("predictions");
    result["predictions_omitted"] = "the merged predictions exceed the protocol's message limit; the window results carry them";
    line = encode_event(result);
  }
  emit_line(line);
}

}  // namespace idm::worker_app
