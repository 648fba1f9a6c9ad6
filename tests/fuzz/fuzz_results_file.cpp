// libFuzzer target: the reference eval CLI's results file (spec §6 source a). The bytes go
// through JsonSpanScanner on their own, through scan_results_file (from an in-memory file),
// then every clip through decode_results_clip and rescore_clip, and the whole file through
// rescore_results_file. Where simdjson accepts the whole document, the scanner's view of it
// must agree with the DOM (same clips, same text for each).
#include <simdjson.h>

#include <cmath>
#include <cstdint>
#include <set>
#include <string>

#include "fuzz_support.hpp"
#include "io/json_span_scanner.hpp"
#include "dataset/results_file.hpp"
#include "io/simd_values.hpp"
#include "dataset/rescore.hpp"

using namespace idm;

namespace {

bool is_json_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

std::string_view trim_json_space(std::string_view text) {
  while (!text.empty() && is_json_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_json_space(text.back())) text.remove_suffix(1);
  return text;
}

// The scanner alone: any value it reports lies inside the text; for a document simdjson
// accepts, value() spans exactly the document.
void check_scanner(std::string_view text, bool valid_document) {
  JsonSpanScanner scanner(text);
  std::string_view value;
  bool found = scanner.value(value);
  if (found) {
    fuzz::require(value.data() >= text.data() && value.data() + value.size() <= text.data() + text.size(),
                  "scanner span outside the text");
    fuzz::require(!value.empty(), "scanner returned an empty value");
  }
  if (valid_document) {
    fuzz::require(found, "scanner rejected a valid document", text);
    fuzz::require(value == trim_json_space(text), "scanner span differs from the valid document", value);
    fuzz::require(scanner.at_end(), "scanner not at the end of a valid document");
  }
}

// For a valid top-level object (duplicate keys included: the last one wins), what the scan
// must find.
void check_against_dom(simdjson::dom::element root, bool scanned, const ResultsFile& file, const std::string& error) {
  if (!root.is_object()) {
    fuzz::require(!scanned, "scan accepted a non-object top level");
    return;
  }
  simdjson::dom::object object = root.get_object().value_unsafe();
  auto clips = last_field(object, "clips");
  auto fps = last_field(object, "fps");
  bool fps_ok = !fps || (python_float_of(*fps) && !fps->is_string() && !fps->is_bool());
  bool expect_ok = clips && clips->is_array() && fps_ok;
  if (expect_ok != scanned) {
    fuzz::fail(scanned ? "scan accepted a file the DOM says is unusable" : "scan rejected a usable file", error);
  }
  if (!scanned) return;
  simdjson::dom::array items = clips->get_array().value_unsafe();
  fuzz::require(items.size() == file.clip_spans.size(), "clip count differs from the DOM");
  size_t i = 0;
  static simdjson::dom::parser span_parser;
  for (simdjson::dom::element item : items) {
    std::string from_dom = simdjson::minify(item);
    auto span = span_parser.parse(file.clip_spans[i].data(), file.clip_spans[i].size(), false);
    fuzz::require(!span.error(), "a clip span of a valid file does not parse", file.clip_spans[i]);
    fuzz::require(simdjson::minify(span.value_unsafe()) == from_dom, "clip span differs from the DOM clip");
    ++i;
  }
  if (fps && fps_ok) {
    double expected = *python_float_of(*fps);
    fuzz::require(file.fps && (*file.fps == expected || (std::isnan(*file.fps) && std::isnan(expected))),
                  "fps differs from the DOM");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  simdjson::padded_string bytes(reinterpret_cast<const char*>(data), size);
  std::string_view text(bytes.data(), bytes.size());
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);

  static simdjson::dom::parser dom_parser;
  auto document = dom_parser.parse(text.data(), text.size(), false);
  // simdjson stops at a NUL byte after a complete value; Python and the scanner do not.
  bool has_nul = text.find('\0') != std::string_view::npos;
  bool valid_document = !document.error() && !has_nul;
  check_scanner(text, valid_document);

  fuzz::MemoryFile memory(data, size);
  ResultsFile file;
  std::string error;
  bool scanned = scan_results_file(memory.path(), file, error);
  if (!scanned) {
    // Whole-file problems ("file is empty ...") have no JSON location; everything else does.
    fuzz::require(error.starts_with("$") || error.starts_with("file "), "scan error without a location", error);
  }
  if (valid_document) check_against_dom(document.value_unsafe(), scanned, file, error);
  if (!scanned) return 0;

  static simdjson::dom::parser clip_parser;
  for (size_t position = 0; position < file.clip_spans.size(); ++position) {
    ResultsClip clip;
    std::string clip_error;
    if (!decode_results_clip(clip_parser, file.clip_spans[position], position, DecodeOptions{}, clip, clip_error)) {
      std::string location = "$.clips[" + std::to_string(position) + "]";
      fuzz::require(clip_error.starts_with(location), "clip error without its location", clip_error);
      continue;
    }
    double fps = file.fps && *file.fps > 0 && *file.fps <= 1000 ? *file.fps : 5.0;
    for (int tolerance : {0, 2}) {
      RescoreClip scored = rescore_clip(clip.log, clip.predictions, fps, tolerance, tolerance != 0);
      fuzz::require(scored.counts.tp + scored.counts.fn == scored.gt_count, "tp + fn != GT count");
      fuzz::require(scored.counts.tp + scored.counts.fp == scored.pred_count, "tp + fp != prediction count");
    }
  }
  {
    RescoreReport report;
    error.clear();
    if (rescore_results_file(memory.path(), 2, true, 1, report, error)) {
      (void)rescore_summary_json(report).dump();
      (void)rescore_text_report(report);
    } else {
      fuzz::require(!error.empty(), "rescore failed without a message");
    }
  }
  return 0;
}
