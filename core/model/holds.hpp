#pragma once
// Key and mouse-button holds of a clip's raw log: each press paired with its release, so the
// timeline can draw a held key as a span. Auto-repeat presses of a held key extend the same
// hold. A key held across the clip's start (release without press) or end (press without
// release) gets an open end at the clip boundary, flagged so it can be drawn differently.
#include <string>
#include <vector>

#include "model/raw_event.hpp"

namespace idm {

struct HoldSpan {
  std::string name;            // key name (rdev) or button name
  bool mouse_button = false;
  double press_us = 0.0;       // recording clock
  double release_us = 0.0;
  bool open_start = false;     // no press in the clip: held from before it
  bool open_end = false;       // no release in the clip: still held after it
  int repeats = 0;             // auto-repeat presses while held
};

// Spans sorted by press time. Open ends use the clip's start_s / end_s (or the first/last
// event when the log has no end).
std::vector<HoldSpan> hold_spans(const ClipLog& log);

}  // namespace idm
