#include "rsv_synth/plans.hpp"

#include <algorithm>
#include <cstdlib>

#include "rsv/kinematics.hpp"

namespace idm::rsv_synth {

namespace {

const char* kMoves[] = {"move_forward", "move_backward", "move_left", "move_right"};

std::string pick(synth::Rng& rng, std::initializer_list<const char*> names) {
  return *(names.begin() + rng.range(0, static_cast<int64_t>(names.size()) - 1));
}

// A natural path of exactly k steps: translation blocks and rotation blocks interleaved.
// `mixed` also tilts the camera and alternates single moves and rotations (the hard tier).
Actions natural_path(synth::Rng& rng, int k, bool mixed) {
  Actions path;
  int pitch_steps = 0;
  bool translation = rng.chance(0.5);
  while (static_cast<int>(path.size()) < k) {
    int block = mixed ? static_cast<int>(rng.range(1, 2)) : static_cast<int>(rng.range(1, 3));
    for (int i = 0; i < block && static_cast<int>(path.size()) < k; ++i) {
      if (translation) {
        path.push_back(kMoves[rng.range(0, 3)]);
      } else if (mixed && rng.chance(0.4)) {
        bool up = pitch_steps <= -2 ? true : pitch_steps >= 2 ? false : rng.chance(0.5);
        path.push_back(up ? "look_up" : "look_down");
        pitch_steps += up ? 1 : -1;
      } else {
        path.push_back(rng.chance(0.5) ? "turn_left" : "turn_right");
      }
    }
    translation = !translation;
  }
  return path;
}

}  // namespace

void pad_to_horizon(Actions& actions) {
  while (static_cast<int>(actions.size()) < kSteps) actions.push_back("no_op");
}

Actions inverse_easy_plan(synth::Rng& rng) {
  int k = static_cast<int>(rng.range(10, 19));
  Actions a = natural_path(rng, k, false);
  Actions out = a;
  for (const std::string& name : rsv::inverse_sequence(a)) out.push_back(name);
  pad_to_horizon(out);
  return out;
}

Actions inverse_hard_plan(synth::Rng& rng) {
  int k = static_cast<int>(rng.range(10, 19));
  Actions a = natural_path(rng, k, true);
  Actions out = a;
  for (const std::string& name : rsv::inverse_sequence(a)) out.push_back(name);
  pad_to_horizon(out);
  return out;
}

Actions unreversed_inverse_plan(synth::Rng& rng) {
  // Forward-heavy so the path cannot come back by chance.
  int k = static_cast<int>(rng.range(10, 15));
  Actions a;
  for (int i = 0; i < k; ++i) a.push_back(i % 3 == 2 ? "turn_right" : "move_forward");
  Actions out = a;
  out.insert(out.end(), a.begin(), a.end());
  pad_to_horizon(out);
  return out;
}

Actions loop_easy_plan(synth::Rng& rng) {
  // Exploration on the root's 100 cm lattice (turns in 90 deg blocks), then the five-stage
  // return: yaw, pitch, forward/backward, lateral.
  for (;;) {
    Actions out;
    int quarter = 0;  // heading in 90 deg steps to the right of the root's
    int pitch = 0;    // look steps
    int along_f = 0, along_r = 0;  // lattice position in the root frame (100 cm units)
    int exploration = static_cast<int>(rng.range(8, 16));
    while (static_cast<int>(out.size()) < exploration) {
      double draw = rng.unit();
      if (draw < 0.55) {
        int moves = static_cast<int>(rng.range(1, 3));
        for (int i = 0; i < moves; ++i) {
          int direction = static_cast<int>(rng.range(0, 3));
          out.push_back(kMoves[direction]);
          // Body direction -> root frame: forward = quarter, right = quarter + 1, backward/left opposite.
          int body = direction == 0 ? 0 : direction == 1 ? 2 : direction == 2 ? 3 : 1;
          int world = (quarter + body) % 4;
          along_f += world == 0 ? 1 : world == 2 ? -1 : 0;
          along_r += world == 1 ? 1 : world == 3 ? -1 : 0;
        }
      } else if (draw < 0.85) {
        bool right = rng.chance(0.5);
        for (int i = 0; i < 6; ++i) out.push_back(right ? "turn_right" : "turn_left");
        quarter = (quarter + (right ? 1 : 3)) % 4;
      } else {
        bool up = pitch <= -2 ? true : pitch >= 2 ? false : rng.chance(0.5);
        out.push_back(up ? "look_up" : "look_down");
        pitch += up ? 1 : -1;
      }
    }
    // 1. yaw back to the root's heading.
    if (quarter == 1) for (int i = 0; i < 6; ++i) out.push_back("turn_left");
    if (quarter == 3) for (int i = 0; i < 6; ++i) out.push_back("turn_right");
    if (quarter == 2) for (int i = 0; i < 12; ++i) out.push_back("turn_right");
    // 2. pitch.
    for (; pitch > 0; --pitch) out.push_back("look_down");
    for (; pitch < 0; ++pitch) out.push_back("look_up");
    // 3. forward/backward, 4. lateral.
    for (int i = 0; i < std::abs(along_f); ++i) out.push_back(along_f > 0 ? "move_backward" : "move_forward");
    for (int i = 0; i < std::abs(along_r); ++i) out.push_back(along_r > 0 ? "move_left" : "move_right");
    if (static_cast<int>(out.size()) < kSteps && (along_f != 0 || along_r != 0)) {
      pad_to_horizon(out);
      return out;
    }
  }
}

Actions loop_hard_plan(synth::Rng& rng, int shape) {
  Actions out;
  const char* turn = rng.chance(0.5) ? "turn_right" : "turn_left";
  auto leg = [&](int length, int turns) {
    for (int i = 0; i < length; ++i) out.push_back("move_forward");
    for (int i = 0; i < turns; ++i) out.push_back(turn);
  };
  if (shape == 0) {
    int m = static_cast<int>(rng.range(1, 4));
    int n = static_cast<int>(rng.range(1, 7 - m > 4 ? 4 : 7 - m));
    for (int side = 0; side < 4; ++side) leg(side % 2 ? n : m, 6);
  } else if (shape == 1) {
    int length = static_cast<int>(rng.range(1, 4));
    for (int side = 0; side < 3; ++side) leg(length, 8);
  } else {
    int length = static_cast<int>(rng.range(1, 2));
    for (int side = 0; side < 6; ++side) leg(length, 4);
  }
  pad_to_horizon(out);
  return out;
}

std::pair<Actions, Actions> equivalence_plan(synth::Rng& rng, int stage) {
  if (stage == 1) {
    for (;;) {
      Actions a = natural_path(rng, static_cast<int>(rng.range(16, 30)), true);
      // Fisher-Yates inside each maximal run of translations or of rotations.
      Actions b = a;
      auto is_move = [](const std::string& name) { return name.starts_with("move_"); };
      size_t begin = 0;
      while (begin < b.size()) {
        size_t end = begin;
        while (end < b.size() && is_move(b[end]) == is_move(b[begin])) ++end;
        for (size_t i = end - 1; i > begin; --i) {
          size_t j = begin + static_cast<size_t>(rng.range(0, static_cast<int64_t>(i - begin)));
          std::swap(b[i], b[j]);
        }
        begin = end;
      }
      if (a == b) continue;
      pad_to_horizon(a);
      pad_to_horizon(b);
      return {a, b};
    }
  }
  // Stage 2: U^m V^n against (UV)^k U^(m-k) V^(n-k), self-inverse rotation pairs in the slots.
  int m = static_cast<int>(rng.range(3, 6));
  int n = static_cast<int>(rng.range(3, 6));
  int k = static_cast<int>(rng.range(1, std::min(m, n)));
  std::string u = pick(rng, {"move_forward", "move_backward"});
  std::string v = pick(rng, {"move_left", "move_right"});
  Actions a, b;
  for (int i = 0; i < m; ++i) a.push_back(u);
  for (int i = 0; i < n; ++i) a.push_back(v);
  for (int i = 0; i < k; ++i) {
    b.push_back(u);
    b.push_back(v);
  }
  for (int i = 0; i < m - k; ++i) b.push_back(u);
  for (int i = 0; i < n - k; ++i) b.push_back(v);
  int pairs = static_cast<int>(rng.range(1, 3));
  for (Actions* sequence : {&a, &b}) {
    for (int p = 0; p < pairs; ++p) {
      bool yaw = rng.chance(0.6);
      size_t at = static_cast<size_t>(rng.range(1, static_cast<int64_t>(sequence->size()) - 1));
      std::string first = yaw ? pick(rng, {"turn_left", "turn_right"}) : pick(rng, {"look_up", "look_down"});
      sequence->insert(sequence->begin() + static_cast<ptrdiff_t>(at), {first, rsv::inverse_action(first)});
    }
  }
  pad_to_horizon(a);
  pad_to_horizon(b);
  return {a, b};
}

}  // namespace idm::rsv_synth
