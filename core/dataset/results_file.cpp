#include "dataset/results_file.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "io/json_span_scanner.hpp"
#include "io/simd_values.hpp"
#include "scoring/predictions.hpp"

namespace idm {

unsigned default_thread_count() {
  unsigned hardware = std::thread::hardware_concurrency();
  return std::clamp(hardware, 1u, 16u);
}

namespace {

// What the scan reports while it runs (all calls come from the scanning thread).
struct ScanListener {
  virtual ~ScanListener() = default;
  virtual void fps_known(double /*fps*/) {}
  virtual void clip(size_t /*position*/, std::string_view /*span*/) {}
};

// Cuts the top level of a results file. Each value other than "clips" is small and is
// validated with a DOM parse; "fps" and "clips" are checked after the loop so that, as in
// Python, only the last of duplicate keys counts.
bool scan_results_text(std::string_view view, ResultsFile& out, std::string& error, ScanListener& listener) {
  JsonSpanScanner scanner(view);
  simdjson::dom::parser small_parser;
  auto syntax_error = [&](const std::string& where) {
    error = where + ": not valid JSON: " + describe_json_syntax_error(view);
    return false;
  };
  if (!scanner.consume('{')) {
    if (scanner.peek() == '[' || scanner.peek() == '"') {
      error = "$: expected an object with \"fps\" and \"clips\"";
      return false;
    }
    return syntax_error("$");
  }
  int clips_seen = 0, fps_seen = 0;
  std::string clips_problem;      // the last "clips" was not an array
  std::string_view last_fps;      // the last "fps" value's text
  bool first_field = true;
  while (!scanner.consume('}')) {
    if (!first_field && !scanner.consume(',')) return syntax_error("$");
    first_field = false;
    std::string_view raw_key;
    if (!scanner.string_body(raw_key) || !scanner.consume(':')) return syntax_error("$");
    // Every key goes through a real parser: escapes decoded, bad UTF-8 and controls refused.
    std::string quoted = "\"" + std::string(raw_key) + "\"";
    simdjson::dom::element decoded;
    if (!parse_json_dom(small_parser, simdjson::padded_string(quoted), decoded, error)) {
      error = "$: a key is not a valid JSON string: " + error;
      return false;
    }
    std::string key(decoded.get_string().value_unsafe());
    std::string location = "$." + key;
    if (key == "clips" && scanner.peek() == '[') {
      scanner.consume('[');
      ++clips_seen;
      clips_problem.clear();
      out.clip_spans.clear();  // a duplicate "clips" replaces the earlier one, as in Python
      while (!scanner.consume(']')) {
        if (!out.clip_spans.empty() && !scanner.consume(',')) return syntax_error(location);
        std::string_view clip;
        if (!scanner.value(clip)) return syntax_error(location + "[" + std::to_string(out.clip_spans.size()) + "]");
        out.clip_spans.push_back(clip);  // parsed and validated later, one clip at a time
        if (clips_seen == 1) listener.clip(out.clip_spans.size() - 1, clip);
      }
      continue;
    }
    std::string_view value;
    if (!scanner.value(value)) return syntax_error(location);
    simdjson::dom::element parsed;  // every other field is small: validate it now
    if (!parse_json_dom(small_parser, value, parsed, error)) {
      error = location + ": " + error;
      return false;
    }
    if (key == "clips") {
      ++clips_seen;
      out.clip_spans.clear();
      clips_problem = location + " is " + std::string(json_type_phrase(parsed)) + ", expected an array of clips";
    } else if (key == "fps") {
      ++fps_seen;
      last_fps = value;
      auto fps = python_float_of(parsed);
      if (fps && !parsed.is_string() && !parsed.is_bool()) {
        out.fps = *fps;
        if (fps_seen == 1) listener.fps_known(*fps);
      } else {
        out.fps.reset();
      }
    }
  }
  if (!scanner.at_end()) return syntax_error("$ (text after the top-level object)");
  out.duplicate_keys = clips_seen > 1 || fps_seen > 1;
  if (clips_seen == 0) {
    error = "$: missing \"clips\"";
    return false;
  }
  if (!clips_problem.empty()) {
    error = clips_problem;
    return false;
  }
  if (fps_seen > 0 && !out.fps) {
    simdjson::dom::element parsed;
    parse_json_dom(small_parser, last_fps, parsed, error);
    error = std::string("$.fps is ") + json_type_phrase(parsed) + ", expected a number";
    return false;
  }
  return true;
}

// Clip spans handed from the scanning thread to the workers. Spans live in fixed chunks
// that never move, so a worker can read span i once `published` says it exists.
class SpanQueue {
 public:
  explicit SpanQueue(size_t max_spans) : chunks_(max_spans / kChunk + 1) {}

  void publish(size_t position, std::string_view span) {  // scanning thread only
    size_t chunk = position / kChunk;
    if (!chunks_[chunk]) chunks_[chunk] = std::make_unique<std::string_view[]>(kChunk);
    chunks_[chunk][position % kChunk] = span;
    published_.store(position + 1, std::memory_order_release);
    if ((position & 63) == 0) wake();
  }
  void open(double fps) {  // fps is known: workers may start (only the first call counts)
    if (open_.load(std::memory_order_relaxed)) return;
    fps_ = fps;
    open_.store(true, std::memory_order_release);
    wake();
  }
  void finish() {
    finished_.store(true, std::memory_order_release);
    wake();
  }
  // Claims the next span; false when there is none left (or the stream never opened).
  bool next(size_t& position, std::string_view& span, double& fps) {
    position = next_.fetch_add(1);
    std::unique_lock lock(mutex_);
    wakeup_.wait(lock, [&] {
      bool finished = finished_.load(std::memory_order_acquire);
      return finished || (open_.load(std::memory_order_acquire) && published_.load(std::memory_order_acquire) > position);
    });
    lock.unlock();
    if (!open_.load(std::memory_order_acquire) || position >= published_.load(std::memory_order_acquire)) return false;
    span = chunks_[position / kChunk][position % kChunk];
    fps = fps_;  // written before open_ was released
    return true;
  }

 private:
  void wake() {
    { std::lock_guard lock(mutex_); }
    wakeup_.notify_all();
  }
  static constexpr size_t kChunk = 4096;
  std::vector<std::unique_ptr<std::string_view[]>> chunks_;
  std::atomic<size_t> published_{0};
  std::atomic<size_t> next_{0};
  std::atomic<bool> open_{false};
  std::atomic<bool> finished_{false};
  double fps_ = 0.0;
  std::mutex mutex_;
  std::condition_variable wakeup_;
};

struct StreamingListener : ScanListener {
  explicit StreamingListener(SpanQueue& queue) : queue(queue) {}
  void fps_known(double fps) override { queue.open(fps); }
  void clip(size_t position, std::string_view span) override { queue.publish(position, span); }
  SpanQueue& queue;
};

}  // namespace

bool scan_results_file(const std::filesystem::path& path, ResultsFile& out, std::string& error) {
  out.path = path;
  if (!read_json_text(path, kMaxResultsJsonBytes, out.text, error)) return false;
  ScanListener ignore;
  return scan_results_text(out.text.view(), out, error, ignore);
}

bool stream_results_file(const std::filesystem::path& path, unsigned threads, ResultsFile& out, std::string& error,
                         const std::function<void(size_t, std::string_view, double, unsigned)>& fn) {
  out.path = path;
  if (!read_json_text(path, kMaxResultsJsonBytes, out.text, error)) return false;
  std::string_view view = out.text.view();
  SpanQueue queue(view.size() / 2 + 1);  // every clip span takes at least 2 bytes
  StreamingListener listener(queue);
  bool scanned = false;
  std::thread scanner([&] {
    scanned = scan_results_text(view, out, error, listener);
    if (scanned && out.fps) queue.open(*out.fps);  // fps came after the clips: start now
    queue.finish();                                // no fps: the workers find nothing
  });
  threads = std::max(1u, threads);
  std::vector<std::thread> workers;
  auto work = [&](unsigned worker) {
    size_t position = 0;
    std::string_view span;
    double fps = 0;
    while (queue.next(position, span, fps)) fn(position, span, fps, worker);
  };
  for (unsigned t = 1; t < threads; ++t) workers.emplace_back(work, t);
  work(0);
  for (auto& worker : workers) worker.join();
  scanner.join();
  return scanned;
}

namespace {

// The clip object's fields, once parsed.
bool decode_parsed_results_clip(simdjson::dom::element clip, const std::string& location, const DecodeOptions& options,
                                ResultsClip& out, std::string& error) {
  if (!decode_clip_object(clip, location, "ground_truth", options, out.log, error)) return false;
  simdjson::dom::object object = clip.get_object().value_unsafe();
  if (auto index = last_field(object, "clip_index"); index && index->is_int64()) out.clip_index = index->get_int64().value_unsafe();
  if (auto name = last_field(object, "clip_name")) out.clip_name = name->is_string() ? std::string(name->get_string().value_unsafe()) : python_str(*name);
  auto predictions = last_field(object, "predictions");
  if (predictions && predictions->is_array()) {
    decode_predictions(predictions->get_array().value_unsafe(), out.predictions);
  } else if (predictions && !predictions->is_null()) {
    error = location + ".predictions is " + json_type_phrase(*predictions) + ", expected an array";
    return false;
  }
  return true;
}

}  // namespace

bool decode_results_clip(simdjson::dom::parser& parser, std::string_view span, size_t position,
                         const DecodeOptions& options, ResultsClip& out, std::string& error, std::string_view file_text) {
  std::string location = "$.clips[" + std::to_string(position) + "]";
  simdjson::dom::element clip;
  // The span lies inside the padded file buffer, so no copy is needed.
  if (!parse_json_dom(parser, span, clip, error)) {
    if (!file_text.empty() && error.starts_with("not valid JSON: ")) {
      error = "not valid JSON: " + describe_json_syntax_error_in(file_text, span);
    }
    error = location + ": " + error;
    return false;
  }
  return decode_parsed_results_clip(clip, location, options, out, error);
}

void for_each_clip_parallel(size_t clip_count, unsigned threads, const std::function<void(size_t, unsigned)>& fn) {
  threads = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(std::max<size_t>(clip_count, 1))));
  std::atomic<size_t> next{0};
  auto work = [&](unsigned thread_index) {
    for (size_t position = next++; position < clip_count; position = next++) fn(position, thread_index);
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work, t);
  work(0);
  for (auto& thread : pool) thread.join();
}

}  // namespace idm
