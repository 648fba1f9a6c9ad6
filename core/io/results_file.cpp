#include "io/results_file.hpp"

#include <algorithm>
#include <atomic>
#include <thread>

#include "io/json_span_scanner.hpp"
#include "io/simd_values.hpp"
#include "scoring/predictions.hpp"

namespace idm {

unsigned default_thread_count() {
  unsigned hardware = std::thread::hardware_concurrency();
  return std::clamp(hardware, 1u, 16u);
}

bool scan_results_file(const std::filesystem::path& path, ResultsFile& out, std::string& error) {
  out.path = path;
  if (!read_json_text(path, kMaxResultsJsonBytes, out.text, error)) return false;
  std::string_view view = out.text.view();
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
  bool saw_clips = false;
  bool first_field = true;
  while (!scanner.consume('}')) {
    if (!first_field && !scanner.consume(',')) return syntax_error("$");
    first_field = false;
    std::string_view raw_key;
    if (!scanner.string_body(raw_key) || !scanner.consume(':')) return syntax_error("$");
    std::string key(raw_key);
    if (key.find('\\') != std::string::npos) {  // decode escapes the way Python's json would
      std::string quoted = "\"" + key + "\"";
      simdjson::dom::element decoded;
      if (!parse_json_dom(small_parser, simdjson::padded_string(quoted), decoded, error)) return syntax_error("$");
      key = std::string(decoded.get_string().value_unsafe());
    }
    std::string location = "$." + key;
    if (key == "clips") {
      if (!scanner.consume('[')) {
        std::string_view other;
        if (!scanner.value(other)) return syntax_error(location);
        error = location + ": expected an array of clips";
        return false;
      }
      out.clip_spans.clear();  // a duplicate "clips" replaces the earlier one, as in Python
      while (!scanner.consume(']')) {
        if (!out.clip_spans.empty() && !scanner.consume(',')) return syntax_error(location);
        std::string_view clip;
        if (!scanner.value(clip)) return syntax_error(location + "[" + std::to_string(out.clip_spans.size()) + "]");
        out.clip_spans.push_back(clip);  // parsed and validated later, one clip at a time
      }
      saw_clips = true;
      continue;
    }
    std::string_view value;
    if (!scanner.value(value)) return syntax_error(location);
    simdjson::dom::element parsed;  // every other field is small: validate it now
    if (!parse_json_dom(small_parser, value, parsed, error)) {
      error = location + ": " + error;
      return false;
    }
    if (key == "fps") {
      auto fps = python_float_of(parsed);
      if (!fps || parsed.is_string() || parsed.is_bool()) {
        error = location + " is " + json_type_phrase(parsed) + ", expected a number";
        return false;
      }
      out.fps = *fps;
    }
  }
  if (!scanner.at_end()) return syntax_error("$ (text after the top-level object)");
  if (!saw_clips) {
    error = "$: missing \"clips\"";
    return false;
  }
  return true;
}

bool decode_results_clip(simdjson::dom::parser& parser, std::string_view span, size_t position,
                         const DecodeOptions& options, ResultsClip& out, std::string& error) {
  std::string location = "$.clips[" + std::to_string(position) + "]";
  simdjson::dom::element clip;
  // The span lies inside the padded file buffer, so no copy is needed.
  if (!parse_json_dom(parser, span, clip, error)) {
    error = location + ": " + error;
    return false;
  }
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
