#pragma once
// Spec §7 [reference]: `eval.py --rescore` over a results file, value for value.
#include <nlohmann/json.hpp>

#include <array>
#include <filesystem>
#include <string>
#include <vector>

#include "model/prediction.hpp"
#include "model/raw_event.hpp"
#include "scoring/match.hpp"

namespace idm {

struct RescoreClip {
  int64_t clip_index = -1;
  std::string clip_name;
  std::string tag;
  int64_t gt_count = 0;
  int64_t pred_count = 0;
  Counts counts;
  CountsByType by_type{};
  std::array<bool, kActionTypeCount> type_present{};
  int malformed_predictions = 0;
  std::string error;  // non-empty: the clip could not be read and is not in the totals
};

struct RescoreReport {
  int tolerance = 0;
  bool coalesce = false;
  double fps = 5.0;
  std::vector<RescoreClip> clips;
  Counts overall;
  CountsByType per_type{};
  std::array<bool, kActionTypeCount> type_present{};
  int64_t bytes = 0;
  int failed_clips = 0;
};

// Scores one clip: GT = filter(+coalesce) of the raw log at fps; predictions filtered.
RescoreClip rescore_clip(const ClipLog& log, const std::vector<RawPrediction>& predictions, double fps,
                         int tolerance, bool coalesce);

// Reads and scores a whole results file on `threads` threads. Returns false with error for
// problems that stop the whole run (unreadable file, missing fps); per-clip problems are
// recorded in the clip's error.
bool rescore_results_file(const std::filesystem::path& path, int tolerance, bool coalesce, unsigned threads,
                          RescoreReport& report, std::string& error);

// The summary JSON the reference writes, as text (written directly: a results file can hold
// 50,000 clips) and as a document parsed from that text.
std::string rescore_summary_text(const RescoreReport& report);
nlohmann::ordered_json rescore_summary_json(const RescoreReport& report);

// The human-readable report (overall, per type, per clip).
std::string rescore_text_report(const RescoreReport& report);

}  // namespace idm
