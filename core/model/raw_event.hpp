#pragma once
// One entry of a clip's raw action log (spec §2), decoded once into the fields the GT
// pipeline and the viewer need. Payload element types vary between event types, so the
// decoder records what it found instead of assuming one element type.
#include <cstdint>
#include <string>
#include <vector>

namespace idm {

enum class EventKind : uint8_t {
  KeyPress,
  KeyRelease,
  MousePress,
  MouseRelease,
  MouseMove,
  MouseScroll,
  ContextChanged,
  Other,  // any other type: ignored by the pipeline, but still counts for max_frame
};

const char* event_kind_name(EventKind kind);

struct RawEvent {
  double ts_us = 0.0;         // recording clock, microseconds (integers in real logs)
  EventKind kind = EventKind::Other;
  std::string type_name;      // the type exactly as logged (for display of Other types)

  // KeyPress/KeyRelease: payload is an array of >= 2 items whose 2nd item is not "UNKNOWN".
  // MousePress/MouseRelease: payload is an array whose 1st item is Left/Right/Middle.
  // MouseScroll: the 2nd item reads as a number. MouseMove: 2 numeric items.
  bool payload_valid = false;
  std::string name;           // key: Python str() of payload[1]; button: payload[0] string
  double x = 0.0;             // MouseMove dx / MouseScroll dx
  double y = 0.0;             // MouseMove dy / MouseScroll dy
  bool uncaptured = false;    // ContextChanged payload array contains "UNCAPTURED"
  std::string payload_json;   // the payload as compact JSON, for hover details
};

struct ClipLog {
  double start_s = 0.0;
  double end_s = 0.0;
  bool has_end = false;
  std::string tag;
  std::vector<RawEvent> events;   // file order (not necessarily sorted)
  // The scoring-only decoder does not keep MouseMove and unknown-type events: the GT filter
  // only needs the latest of their timestamps (for max_frame; the frame rule is monotonic).
  double dropped_latest_ts_us = -1e300;
  size_t dropped_events = 0;
  std::vector<std::string> warnings;  // recoverable problems found while reading
};

}  // namespace idm
