#pragma once
// What construction an action sequence is (rsv.md §4-5): K and the no_op padding of an
// inverse, the polygon of a loop, the construction of an equivalence pair.
#include <string>
#include <vector>

#include "rsv/kinematics.hpp"

namespace idm::rsv {

struct InverseStructure {
  bool matches = false;     // the sequence is A || pad || A^-1 or A || A^-1 || pad
  int k = 0;                // length of A
  int pad_steps = 0;
  std::string padding;      // "end", "between", "none"
  std::string text() const;
};
InverseStructure inverse_structure(const std::vector<std::string>& actions);

struct LoopStructure {
  std::string shape;        // rectangle | triangle | hexagon | polygon-N | return (explore + return) | other
  int legs = 0;             // straight translation runs
  double total_turn_deg = 0.0;
  int pad_steps = 0;        // trailing no_op
  std::string text() const;
};
LoopStructure loop_structure(const std::vector<std::string>& actions, const Conventions& conventions);

struct PairStructure {
  std::string construction;  // commutative-shuffle | l-vs-zigzag | identical | other
  std::string text() const { return construction; }
};
PairStructure pair_structure(const std::vector<std::string>& a, const std::vector<std::string>& b,
                             const Conventions& conventions);

}  // namespace idm::rsv
