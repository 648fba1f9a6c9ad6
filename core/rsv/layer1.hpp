#pragma once
// Layer 1 (rsv.md §5): the identity on poses, from the metadata alone.
#include <optional>
#include <string>
#include <vector>

#include "rsv/kinematics.hpp"
#include "rsv/meta.hpp"

namespace idm::rsv {

constexpr double kStepToleranceCm = 1.0;       // |actual - expected| per step [CARD]
constexpr double kRoundingToleranceCm = 0.15;  // recomputed positions: values rounded to 0.1 cm [DERIVED]
constexpr double kAngleToleranceDeg = 0.01;
constexpr double kClosureToleranceCm = 1.0;

struct Layer1Result {
  std::optional<bool> pass;  // nullopt: not checked (errors)
  int worst_step = -1;       // step with the largest |actual - expected|
  double max_step_deviation_cm = 0.0;
  double closure_residual_cm = 0.0;
  double closure_residual_deg = 0.0;
  std::string reason;        // why it fails, in words ("" when it passes)
};

// The per-step rules of one trajectory; failures are appended to `problems`.
void check_steps(const RsvMeta& meta, const Conventions& conventions, Layer1Result& result,
                 std::vector<std::string>& problems);

// An inverse or loop trajectory: steps, then the closure back to the root.
Layer1Result layer1_single(const RsvMeta& meta, const Conventions& conventions);
// An equivalence pair: both halves' steps, then A's end against B's end.
Layer1Result layer1_pair(const RsvMeta& a, const RsvMeta& b, const Conventions& conventions);

}  // namespace idm::rsv
