#pragma once
// `rsv conventions`: each action's body-frame delta measured from the metadata (dp.F, dp.R,
// dz, dyaw, dpitch of start -> actual end), and a verdict on each assumption of the table.
#include <map>
#include <string>
#include <vector>

#include "rsv/kinematics.hpp"
#include "rsv/meta.hpp"

namespace idm::rsv {

struct ActionMeasurement {
  std::string name;
  int steps = 0;                // steps measured (collisions left out)
  int agreeing = 0;             // within tolerance of the table on every component
  BodyDelta median;             // per component
  std::map<int, int> action_ids;  // id -> count
  // Histogram per component: value rounded to 0.1 (cm or deg) -> count.
  std::map<std::string, std::map<double, int>> histograms;
  int moves_with_pitch = 0;     // translation steps started at a non-zero pitch
  int moves_with_pitch_off_plane = 0;  // ... whose dz is not 0
  std::string verdict;          // agrees | contradicted | no data
  std::vector<std::string> findings;  // what disagrees, in words
};

struct ConventionsMeasurement {
  std::vector<ActionMeasurement> actions;  // table order
  int trajectories = 0;
  bool any_contradiction() const;
  // The table with each contradicted action replaced by its measured medians (status "measured").
  Conventions effective(const Conventions& table) const;
  std::vector<std::string> contradicted_names() const;
};

ConventionsMeasurement measure_conventions(const std::vector<const RsvMeta*>& metas, const Conventions& table);

}  // namespace idm::rsv
