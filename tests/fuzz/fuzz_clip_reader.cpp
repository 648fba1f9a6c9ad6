// libFuzzer target: a clip JSON file (spec §2) from arbitrary bytes, decoded the way
// read_clip_file does it (BOM skipped, simdjson DOM, decode_clip_object), then pushed through
// the GT pipeline and the gesture GT. Runs in memory: no file is written.
#include <simdjson.h>

#include <cmath>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "gt/gesture.hpp"
#include "gt/pipeline.hpp"
#include "io/clip_reader.hpp"
#include "io/json_file.hpp"

using namespace idm;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static simdjson::dom::parser parser;
  simdjson::padded_string bytes(reinterpret_cast<const char*>(data), size);
  std::string_view text(bytes.data(), bytes.size());
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // as read_json_text does

  simdjson::dom::element root;
  std::string error;
  if (!parse_json_dom(parser, text, root, error)) {
    fuzz::require(!error.empty(), "parse_json_dom failed without a message");
    return 0;
  }
  for (bool keep_payload : {true, false}) {
    ClipLog log;
    DecodeOptions options;
    options.keep_payload_json = keep_payload;
    error.clear();
    if (!decode_clip_object(root, "$", "actions", options, log, error)) {
      fuzz::require(error.starts_with("$"), "clip error does not start with its JSON location", error);
      continue;
    }
    fuzz::require(std::isfinite(log.start_s), "accepted a non-finite start_s");
    for (const std::string& warning : log.warnings) {
      fuzz::require(warning.starts_with("$.actions["), "event warning without its location", warning);
    }
    for (const RawEvent& event : log.events) {
      fuzz::require(std::isfinite(event.ts_us), "accepted a non-finite timestamp");
      if (event.kind == EventKind::MouseMove && event.payload_valid) {
        fuzz::require(std::isfinite(event.x) && std::isfinite(event.y), "accepted a non-finite MouseMove");
      }
    }
    if (!keep_payload) continue;
    for (double fps : {5.0, 30.0}) {
      std::vector<Action> filtered = filter_actions(log.events, log.start_s, fps);
      for (const Action& action : filtered) fuzz::require(action.frame >= 0, "negative GT frame");
      std::vector<Action> coalesced = coalesce_actions(filtered);
      fuzz::require(coalesced.size() <= filtered.size(), "coalescing added items");
      GestureGt gestures = compute_gesture_gt(log, kDefaultVideoWidth, kDefaultVideoHeight, fps);
      for (const FrameMovement& move : gestures.moves) {
        (void)gesture_move_details(move, true);
        (void)gesture_move_details(move, false);
      }
      for (const FrameScroll& scroll : gestures.scrolls) {
        (void)gesture_scroll_details(scroll, true);
        (void)gesture_scroll_details(scroll, false);
      }
    }
  }
  return 0;
}
