#pragma once
// Spec §7: window answers (local frame labels) merged into one clip list. An item at local
// frame l of the window starting at s becomes global frame s+l, and is kept only if l is in
// keep_first..keep_last and no earlier window keeps s+l.
#include <nlohmann/json.hpp>

#include <optional>
#include <string_view>
#include <vector>

#include "scoring/windows.hpp"

namespace idm::infer {

// The model's raw text -> its JSON array (reference parser, spec §6); [] when there is none.
nlohmann::json answer_items(std::string_view raw_text);

// The same, saying why an answer was scored as [] without being one: "empty answer" (no
// text), "no JSON array in the answer" (prose, garbage, an answer cut off); "" when it was read.
struct ReadAnswer {
  nlohmann::json items = nlohmann::json::array();
  std::string problem;
};
ReadAnswer read_answer(std::string_view raw_text);

struct MergedAnswer {
  nlohmann::json items = nlohmann::json::array();  // objects with global "frame" labels
  int dropped_unreadable = 0;  // not an object, or no readable frame label
  int dropped_outside = 0;     // outside the window's kept frames (or owned by another window)
};

// answers[w] is window w's item array (nullopt: not answered yet); windows are window_starts().
MergedAnswer merge_window_answers(const std::vector<std::optional<nlohmann::json>>& answers, int grid_frames, const WindowSpec& spec);

}  // namespace idm::infer
