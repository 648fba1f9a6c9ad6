#pragma once
// Model answers made by perturbing canonical GT the way real inverse-dynamics models fail.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <vector>

#include "gt/gesture.hpp"
#include "model/actions.hpp"

namespace idm::synth {

struct ModelProfile {
  const char* name;
  double miss_key;          // key items dropped
  double off_by_one;        // items moved by one frame
  double off_by_two;        // items moved by two frames
  double swap_modifiers;    // "Cmd+Shift+P" answered "Shift+Cmd+P"
  double wrong_letter;      // a neighbouring key instead
  double miss_click;
  int hallucinated_clicks;  // per clip
  double keep_scroll_run;   // probability each scroll after the first of a run is kept
  double miss_move;
  double move_noise;        // relative noise on the 0-1000 vectors
};

const ModelProfile& good_model();
const ModelProfile& weak_model();

// A JSON array of {"frame": "F07", "type", "details"} as a model would answer.
nlohmann::ordered_json predict_clip(const std::vector<Action>& gt, const GestureGt& gesture, const ModelProfile& model,
                                    uint64_t seed, int grid_frames);

}  // namespace idm::synth
