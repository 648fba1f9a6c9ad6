#pragma once
// Spec §4 [reference]: raw log -> filtered actions -> coalesced (canonical) GT.
#include <cstdint>
#include <string>
#include <vector>

#include "model/actions.hpp"
#include "model/raw_event.hpp"

namespace idm {

constexpr double kEvalFps = 5.0;

// A key held this many frames (400 s at 5 fps) is a corrupt log, not a real recording:
// its per-frame expansion is cut there, and a clip never expands past the total below, so a
// bad timestamp cannot make one clip allocate gigabytes. Both cases add a warning.
constexpr int64_t kMaxKeySpanFrames = 2000;
constexpr size_t kMaxExpandedKeyItems = 200000;

// The reference filter: key spans expanded per frame, clicks at press, scrolls per event.
// `warnings` (optional) receives the expansion-cap warnings above.
std::vector<Action> filter_actions(const std::vector<RawEvent>& events, double start_s, double fps,
                                   std::vector<std::string>* warnings = nullptr, double dropped_latest_ts_us = -1e300);

// Merges scroll and click runs (gap 1, same detail); KeyPress items untouched.
std::vector<Action> coalesce_actions(const std::vector<Action>& filtered, int gap = 1);

// coalesce(filter(events, start_s, 5)): its order defines the GT index.
std::vector<Action> canonical_gt(const ClipLog& clip, std::vector<std::string>* warnings = nullptr);

// Stable sort by (frame, type name), the order every GT list is kept in.
void stable_sort_by_frame_and_type(std::vector<Action>& actions);

}  // namespace idm
