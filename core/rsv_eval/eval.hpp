#pragma once
// `rsv eval` (rsv.md §6): scores rollout runs on a release in two tiers.
//   GT-anchored: the rollout's end frame against the GT video's (a pair: the mean over A and B).
//   Self-consistency: the rollout's own start against its end (a pair: A's end against B's end).
// Endpoints come from the same policy as `rsv check` and are mapped into each rollout through
// its sidecar. The GT's own Layer-2 PSNR (the ceiling after CRF 28) is scored beside them.
// PSNR is capped at 100 dB inside means (inf is written as 100).
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "rsv/check.hpp"
#include "rsv/release.hpp"
#include "rsv_eval/bootstrap.hpp"

namespace idm::rsv_eval {

struct EvalSettings {
  rsv::EndpointPolicy endpoints;
  rsv::FramePhase phase = rsv::FramePhase::Start;  // [ASSUMED] (only closure endpoints use it)
  bool ssim = true;
  BootstrapSettings bootstrap;
  int threads = 2;
  rsv::Conventions table;
  std::function<void(const char*, int, int)> progress;  // called serialised from worker threads
  // Every compared pair of images (packed RGB, the same size), for metric commands (LPIPS, ...):
  // id = "<run>|<tier>|<item key>" plus "|A" / "|B" for the two halves of a pair's GT tier.
  // Called from worker threads, concurrently.
  std::function<void(const std::string& id, const std::vector<uint8_t>& a, const std::vector<uint8_t>& b, int width, int height)>
      on_pair;
};

struct TierScore {
  std::optional<double> psnr_db;  // capped at 100
  std::optional<double> ssim;
  std::string reason;             // why there is no score
  std::vector<std::pair<std::string, int>> frames;  // (which video, frame) compared, for the record
};

struct ItemScores {
  std::string key;
  std::string split;
  std::string relation;
  TierScore ceiling;           // the GT's own Layer-2 PSNR under the same endpoints
  std::vector<TierScore> gt;   // per run
  std::vector<TierScore> sc;   // per run
};

struct RunInfo {
  std::string name;
  std::filesystem::path folder;
  nlohmann::ordered_json run_json;  // as stored (may be empty)
};

struct EvalResult {
  std::vector<RunInfo> runs;
  std::vector<ItemScores> items;
};

// Scores every item of the release for every run (runs must exist: the caller checks).
EvalResult evaluate_rollouts(const rsv::Release& release, const std::vector<RunInfo>& runs, const EvalSettings& settings);

// One cell of the tables: a run's tier on one split, or the GT ceiling (run "").
struct TableRow {
  std::string run;     // "" for the GT ceiling
  std::string tier;    // gt | sc | ceiling
  std::string split;
  MeanInterval value;
  int unscored = 0;    // items of the split without a score
};
std::vector<TableRow> summarise(const EvalResult& result, const std::vector<std::string>& tiers, const BootstrapSettings& bootstrap);

// The card's reference rows (Easy tier; the card does not say which tier they are).
struct ReferenceRow {
  const char* model;
  double inverse_db, loop_db, equivalence_db;
};
const std::vector<ReferenceRow>& card_reference_rows();

}  // namespace idm::rsv_eval
