#pragma once
// Spec §4 [reference]: raw log -> filtered actions -> coalesced (canonical) GT.
#include <vector>

#include "model/actions.hpp"
#include "model/raw_event.hpp"

namespace idm {

constexpr double kEvalFps = 5.0;

// The reference filter: key spans expanded per frame, clicks at press, scrolls per event.
std::vector<Action> filter_actions(const std::vector<RawEvent>& events, double start_s, double fps);

// Merges scroll and click runs (gap 1, same detail); KeyPress items untouched.
std::vector<Action> coalesce_actions(const std::vector<Action>& filtered, int gap = 1);

// coalesce(filter(events, start_s, 5)): its order defines the GT index.
std::vector<Action> canonical_gt(const ClipLog& clip);

// Stable sort by (frame, type name), the order every GT list is kept in.
void stable_sort_by_frame_and_type(std::vector<Action>& actions);

}  // namespace idm
