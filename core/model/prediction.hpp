#pragma once
// Predictions as read from any source, before a profile filters them (spec §6).
#include <string>
#include <vector>

#include "model/actions.hpp"

namespace idm {

// One element of a model's JSON answer, decoded without judging it yet.
struct RawPrediction {
  bool malformed = false;      // [ours] not an object, or its frame is not a string
  std::string frame_label;     // the "frame" string as given ("F07", " f3 ")
  bool type_is_string = false;
  std::string type;            // the "type" string as given
  std::string detail;          // str() of "details", else of "detail", else "" (not stripped)
};

struct MoveVector {
  int frame = 0;
  double dx = 0.0;  // 0-1000 scale, as predicted (not rounded)
  double dy = 0.0;
};

struct FilteredPredictions {
  std::vector<Action> events;     // KeyPress/MouseClick/MouseScroll, stable-sorted by frame
  std::vector<MoveVector> moves;  // MouseMove, stable-sorted by frame (only when asked)
  int malformed = 0;              // [ours] dropped and counted
};

}  // namespace idm
