#pragma once
// Action sequences of every construction the card describes (40 steps, no_op padding at the
// end): inverse A || A^-1 (easy: translation and turn blocks; hard: rotations mixed in), loops
// (exploration + five-stage return; rectangle / triangle / hexagon) and equivalence pairs
// (commutative shuffle; L-shape vs zig-zag).
#include <string>
#include <utility>
#include <vector>

#include "synth/rng.hpp"

namespace idm::rsv_synth {

using Actions = std::vector<std::string>;
constexpr int kSteps = 40;

Actions inverse_easy_plan(synth::Rng& rng);
Actions inverse_hard_plan(synth::Rng& rng);
// A || A (not reversed): an "inverse" that does not return (a planted failure).
Actions unreversed_inverse_plan(synth::Rng& rng);
Actions loop_easy_plan(synth::Rng& rng);
// shape: 0 rectangle, 1 triangle, 2 hexagon.
Actions loop_hard_plan(synth::Rng& rng, int shape);
// stage 1: commutative shuffle; stage 2: L-shape vs zig-zag.
std::pair<Actions, Actions> equivalence_plan(synth::Rng& rng, int stage);

// Pads with no_op to kSteps.
void pad_to_horizon(Actions& actions);

}  // namespace idm::rsv_synth
