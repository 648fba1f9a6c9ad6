#pragma once
// The reference eval CLI's results file: {"fps", "clips": [{"clip_index", "clip_name", "tag",
// "start_s", "ground_truth", "predictions", "raw_response"}]}. Files reach hundreds of MB,
// so a quote-aware span scanner (JsonSpanScanner) cuts out each clip's text, and clips are
// then parsed (simdjson DOM, which validates them) and decoded independently, in parallel,
// without ever building a DOM of the whole file. Top-level keys behave as in Python's json:
// a duplicate key's last value wins.
#include <simdjson.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/json_file.hpp"
#include "model/prediction.hpp"
#include "io/clip_reader.hpp"
#include "model/raw_event.hpp"

namespace idm {

struct ResultsFile {
  std::filesystem::path path;
  JsonText text;                          // owns the bytes the spans point into
  std::optional<double> fps;
  std::vector<std::string_view> clip_spans;  // raw JSON of each element of the last "clips"
  bool duplicate_keys = false;               // "fps" or "clips" appeared more than once
};

// Reads the file and finds the clips. error is a sentence naming the JSON location.
bool scan_results_file(const std::filesystem::path& path, ResultsFile& out, std::string& error);

// Reads the file and runs fn(position, span, fps, worker_index) on `threads` workers while
// the scan is still going, so decoding starts at once. fn is only called once "fps" is known
// (it receives the first valid one); if fps comes after the clips, the workers start when
// the scan ends. When a duplicate key makes the streamed clips differ from the final ones
// (out.duplicate_keys), the results of fn must be discarded and recomputed from
// out.clip_spans. Returns false (error set) when the file cannot be used.
bool stream_results_file(const std::filesystem::path& path, unsigned threads, ResultsFile& out, std::string& error,
                         const std::function<void(size_t, std::string_view, double, unsigned)>& fn);

struct ResultsClip {
  int64_t clip_index = -1;
  std::string clip_name;
  ClipLog log;
  std::vector<RawPrediction> predictions;
};

// Decodes clips.[position] from its span with a per-thread parser. With `file_text` (the
// whole file the span lies in), syntax errors give the line and column in the file.
bool decode_results_clip(simdjson::dom::parser& parser, std::string_view span, size_t position,
                         const DecodeOptions& options, ResultsClip& out, std::string& error,
                         std::string_view file_text = {});

// Runs fn(position, thread_index) for every clip position on `threads` threads.
void for_each_clip_parallel(size_t clip_count, unsigned threads, const std::function<void(size_t, unsigned)>& fn);

unsigned default_thread_count();

}  // namespace idm
