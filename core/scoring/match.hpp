#pragma once
// Spec §7 [reference]: greedy matching of GT to predictions, and P/R/F1.
#include <array>
#include <cstdint>
#include <vector>

#include "model/actions.hpp"

namespace idm {

struct MatchRules {
  std::array<int, kActionTypeCount> tolerance_frames{2, 2, 2, 2};  // indexed by ActionType
  bool move_matches_by_frame_only = true;  // [ours] MouseMove details are judged by §8, not strings
};

struct MatchResult {
  std::vector<int> prediction_of_gt;   // -1 when unmatched
  std::vector<int> gt_of_prediction;   // -1 when unmatched
  int matched = 0;
};

// For each GT item in order: the unused prediction of the same type and equal detail with
// the smallest |frame difference| <= tolerance; ties go to the earlier prediction.
MatchResult match_actions(const std::vector<Action>& gt, const std::vector<Action>& predictions,
                          const MatchRules& rules);

// The order match_actions visits predictions in (grouped by type and detail, list order within
// a group). It does not depend on the tolerances, so a tolerance sweep sorts once.
std::vector<uint32_t> match_order(const std::vector<Action>& predictions, const MatchRules& rules);
MatchResult match_actions(const std::vector<Action>& gt, const std::vector<Action>& predictions, const MatchRules& rules,
                          const std::vector<uint32_t>& order);

struct Counts {
  int64_t tp = 0;
  int64_t fp = 0;
  int64_t fn = 0;
  int64_t neutral = 0;  // matched to GT excluded by visibility: neither TP nor FP
  Counts& operator+=(const Counts& other);
};

struct Prf {
  double precision = 0.0;
  double recall = 0.0;
  double f1 = 0.0;
};

// Each value is 0 when its denominator is 0.
Prf precision_recall_f1(const Counts& counts);

using CountsByType = std::array<Counts, kActionTypeCount>;

}  // namespace idm
