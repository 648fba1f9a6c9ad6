#include "rsv/structure.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace idm::rsv {

namespace {

bool all_no_op(const std::vector<std::string>& actions, size_t begin, size_t end) {
  for (size_t i = begin; i < end; ++i) {
    if (actions[i] != "no_op") return false;
  }
  return true;
}

// actions[second, second + k) is the inverse of actions[0, k).
bool reverses(const std::vector<std::string>& actions, size_t k, size_t second) {
  for (size_t i = 0; i < k; ++i) {
    if (actions[second + i] != inverse_action(actions[k - 1 - i])) return false;
  }
  return true;
}

int trailing_no_ops(const std::vector<std::string>& actions) {
  int count = 0;
  for (auto it = actions.rbegin(); it != actions.rend() && *it == "no_op"; ++it) ++count;
  return count;
}

}  // namespace

std::string InverseStructure::text() const {
  if (!matches) return "not A.A^-1";
  return "K=" + std::to_string(k) + " pad=" + std::to_string(pad_steps) + (pad_steps ? " (" + padding + ")" : "");
}

InverseStructure inverse_structure(const std::vector<std::string>& actions) {
  InverseStructure out;
  size_t n = actions.size();
  // Shortest A first: A || pad || A^-1 also reads as (A + half the pad) || its inverse.
  for (size_t k = 1; k <= n / 2; ++k) {
    size_t pad = n - 2 * k;
    if (reverses(actions, k, k) && all_no_op(actions, 2 * k, n)) {
      out = {true, static_cast<int>(k), static_cast<int>(pad), pad ? "end" : "none"};
      return out;
    }
    if (pad && all_no_op(actions, k, k + pad) && reverses(actions, k, k + pad)) {
      out = {true, static_cast<int>(k), static_cast<int>(pad), "between"};
      return out;
    }
  }
  return out;
}

std::string LoopStructure::text() const {
  std::string text = shape + " (" + std::to_string(legs) + " legs";
  if (pad_steps) text += ", pad " + std::to_string(pad_steps);
  return text + ")";
}

LoopStructure loop_structure(const std::vector<std::string>& actions, const Conventions& conventions) {
  LoopStructure out;
  out.pad_steps = trailing_no_ops(actions);
  // Legs: maximal runs of forward moves; turns between them.
  std::vector<double> turns_between;
  double pending_turn = 0.0;
  bool in_leg = false;
  bool only_forward_and_turns = true;
  for (const std::string& name : actions) {
    const ActionEffect* effect = conventions.find(name);
    if (!effect) continue;
    if (name == "no_op") continue;
    if (conventions.is_translation(name)) {
      if (name != "move_forward") only_forward_and_turns = false;
      if (!in_leg) {
        if (out.legs > 0) turns_between.push_back(pending_turn);
        pending_turn = 0.0;
        ++out.legs;
        in_leg = true;
      }
    } else {
      if (effect->pitch_deg != 0.0) only_forward_and_turns = false;
      pending_turn += effect->yaw_deg;
      out.total_turn_deg += effect->yaw_deg;
      in_leg = false;
    }
  }
  if (out.legs > 0) turns_between.push_back(pending_turn);  // the closing turn back to the first leg's heading
  bool regular = only_forward_and_turns && out.legs >= 3 && std::fabs(std::fabs(out.total_turn_deg) - 360.0) < 1e-6;
  if (regular) {
    double expected = out.total_turn_deg / out.legs;
    for (double turn : turns_between) {
      if (std::fabs(turn - expected) > 1e-6) regular = false;
    }
  }
  if (regular) {
    out.shape = out.legs == 3 ? "triangle" : out.legs == 4 ? "rectangle" : out.legs == 6 ? "hexagon" : "polygon-" + std::to_string(out.legs);
  } else if (std::fabs(out.total_turn_deg) < 1e-6 || out.legs > 0) {
    out.shape = "return";
  } else {
    out.shape = "other";
  }
  return out;
}

PairStructure pair_structure(const std::vector<std::string>& a, const std::vector<std::string>& b,
                             const Conventions& conventions) {
  PairStructure out;
  if (a == b) {
    out.construction = "identical";
    return out;
  }
  auto kind = [&](const std::string& name) { return conventions.is_translation(name) ? 1 : conventions.is_rotation(name) ? 2 : 0; };
  if (a.size() == b.size()) {
    // Same type at every position and the same multiset inside each maximal mono-type segment.
    bool shuffle = true;
    size_t begin = 0;
    while (shuffle && begin < a.size()) {
      size_t end = begin;
      while (end < a.size() && kind(a[end]) == kind(a[begin])) ++end;
      std::vector<std::string> left(a.begin() + static_cast<ptrdiff_t>(begin), a.begin() + static_cast<ptrdiff_t>(end));
      std::vector<std::string> right(b.begin() + static_cast<ptrdiff_t>(begin), b.begin() + static_cast<ptrdiff_t>(end));
      std::sort(left.begin(), left.end());
      std::sort(right.begin(), right.end());
      shuffle = left == right;
      begin = end;
    }
    if (shuffle) {
      out.construction = "commutative-shuffle";
      return out;
    }
  }
  std::map<std::string, int> count_a, count_b;
  for (const std::string& name : a) {
    if (conventions.is_translation(name)) ++count_a[name];
  }
  for (const std::string& name : b) {
    if (conventions.is_translation(name)) ++count_b[name];
  }
  out.construction = count_a == count_b ? "l-vs-zigzag" : "other";
  return out;
}

}  // namespace idm::rsv
