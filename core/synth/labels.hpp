#pragma once
// Side-file content for one clip from what the simulation knows: visibility labels per
// canonical GT index and a few realistic manual corrections (spec §5).
#include <nlohmann/json.hpp>

#include <vector>

#include "model/actions.hpp"
#include "synth/desktop.hpp"

namespace idm::synth {

// {"<gt index>": "visible"|...}: visible when the effect is drawn, not_predictable when
// nothing changes, inferable for held-key frames, ambiguous for clicks that change nothing.
nlohmann::ordered_json label_gt(const std::vector<Action>& gt, const std::vector<Effect>& effects, double start_s);

// {"edits", "deletions", "additions"} or null when the clip needs no correction. Unlogged
// keystrokes (typed while capture was off) are what an annotator adds back; keys typed under a
// modifier held since before the clip get that modifier back; a held Backspace's silent
// initial-delay frame is deleted. Every correction agrees with what the video shows.
nlohmann::ordered_json overrides_for(const std::vector<Action>& gt, const std::vector<Effect>& effects,
                                     const std::vector<InputEvent>& unlogged_keys, double start_s);

}  // namespace idm::synth
