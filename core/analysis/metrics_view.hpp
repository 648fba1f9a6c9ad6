#pragma once
// What the metrics panel shows, computed headless so `idmscope export --metrics-json` and the
// tests see exactly the panel's numbers: per source, per type P/R/F1 for one clip and for the
// dataset, the §8 mouse metrics, and the A-vs-B differences. Scores come from
// scoring/dataset_score (the same code as `idmscope score --dataset`), never re-derived.
#include <nlohmann/json.hpp>

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "dataset/dataset_score.hpp"

namespace idm::analysis {

// The profile with per-type tolerances replaced (the panel's sliders); -1 keeps the profile's.
ScoringProfile with_tolerances(const ScoringProfile& profile, const std::array<int, kActionTypeCount>& tolerance_frames);

struct TypeMetrics {
  ActionType type = ActionType::KeyPress;
  Counts counts;
  Prf prf;
};

struct ScopeMetrics {  // one clip, or the whole dataset
  std::vector<TypeMetrics> types;  // the profile's scored types, in ActionType order
  Counts total;
  Prf total_prf;
  MouseMetrics mouse;
};

struct SourceMetrics {
  std::string source;
  std::optional<ScopeMetrics> clip;  // empty when no clip is selected or it could not be read
  ScopeMetrics dataset;
};

// clip_index < 0: no clip column.
std::vector<SourceMetrics> build_source_metrics(const std::vector<const DatasetScore*>& scores, int clip_index);

// B minus A per type (precision, recall, F1) and for the mouse metrics (empty when either side is).
struct MetricDelta {
  std::string name;
  std::optional<double> a, b;
  std::optional<double> delta() const { return a && b ? std::optional<double>(*b - *a) : std::nullopt; }
};
std::vector<MetricDelta> a_vs_b(const ScopeMetrics& a, const ScopeMetrics& b);

// The panel's numbers as JSON: {"profile", "tolerance": {TYPE: N}, "sources": [{"source",
// "dataset": {"per_type": {TYPE: {precision, recall, f1, tp, fp, fn, neutral}}, "overall", "mouse"},
// "clip": {...}}]}. Same field names as `score --dataset --json` so they compare directly.
nlohmann::ordered_json source_metrics_json(const std::vector<SourceMetrics>& metrics, const ScoringProfile& profile);

// The per-clip metrics table (Export CSV): one row per clip and source.
std::string metrics_table_csv(const std::vector<const DatasetScore*>& scores);

}  // namespace idm::analysis
