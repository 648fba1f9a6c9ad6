#pragma once
// The reference eval CLI's results file: {"fps", "clips": [{"clip_index", "clip_name", "tag",
// "start_s", "ground_truth", "predictions", "raw_response"}]}. Files reach hundreds of MB,
// so the file is scanned once with simdjson On-Demand to find each clip's text, and clips
// are then decoded independently (in parallel) without building a DOM of the whole file.
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
  std::vector<std::string_view> clip_spans;  // raw JSON of each element of "clips"
};

// Reads the file and finds the clips. error is a sentence naming the JSON location.
bool scan_results_file(const std::filesystem::path& path, ResultsFile& out, std::string& error);

struct ResultsClip {
  int64_t clip_index = -1;
  std::string clip_name;
  ClipLog log;
  std::vector<RawPrediction> predictions;
};

// Decodes clips.[position] from its span with a per-thread parser.
bool decode_results_clip(simdjson::dom::parser& parser, std::string_view span, size_t position,
                         const DecodeOptions& options, ResultsClip& out, std::string& error);

// Runs fn(position, thread_index) for every clip position on `threads` threads.
void for_each_clip_parallel(size_t clip_count, unsigned threads, const std::function<void(size_t, unsigned)>& fn);

unsigned default_thread_count();

}  // namespace idm
