#include "analysis/metrics_view.hpp"

#include <cstdio>

namespace idm::analysis {

namespace {

using Json = nlohmann::ordered_json;

ScopeMetrics scope_of(const CountsByType& by_type, const Counts& total, const MouseMetrics& mouse, const ScoringProfile& profile) {
  ScopeMetrics out;
  for (int type = 0; type < kActionTypeCount; ++type) {
    if (!profile.scored[static_cast<size_t>(type)]) continue;
    const Counts& counts = by_type[static_cast<size_t>(type)];
    out.types.push_back({static_cast<ActionType>(type), counts, precision_recall_f1(counts)});
  }
  out.total = total;
  out.total_prf = precision_recall_f1(total);
  out.mouse = mouse;
  return out;
}

Json optional_json(const std::optional<double>& value) { return value ? Json(*value) : Json(nullptr); }

Json counts_json(const Counts& counts, const Prf& prf) {
  return {{"precision", prf.precision}, {"recall", prf.recall}, {"f1", prf.f1}, {"tp", counts.tp},
          {"fp", counts.fp},           {"fn", counts.fn},         {"neutral", counts.neutral}};
}

Json scope_json(const ScopeMetrics& scope) {
  Json per_type = Json::object();
  for (const TypeMetrics& type : scope.types) per_type[action_type_name(type.type)] = counts_json(type.counts, type.prf);
  const MouseMetrics& m = scope.mouse;
  return {{"overall", counts_json(scope.total, scope.total_prf)},
          {"per_type", per_type},
          {"mouse",
           {{"frame_f1", optional_json(m.frame_f1)}, {"r2", optional_json(m.r2)}, {"cosine", optional_json(m.cosine)},
            {"l2", optional_json(m.l2)}, {"dir_acc", optional_json(m.dir_acc)}, {"frames", m.frames}}}};
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string real(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6f", value);
  return text;
}

std::string optional_real(const std::optional<double>& value) { return value ? real(*value) : std::string(); }

}  // namespace

ScoringProfile with_tolerances(const ScoringProfile& profile, const std::array<int, kActionTypeCount>& tolerance_frames) {
  ScoringProfile out = profile;
  for (size_t type = 0; type < tolerance_frames.size(); ++type) {
    if (tolerance_frames[type] >= 0) out.tolerance_frames[type] = tolerance_frames[type];
  }
  return out;
}

std::vector<SourceMetrics> build_source_metrics(const std::vector<const DatasetScore*>& scores, int clip_index) {
  std::vector<SourceMetrics> out;
  for (const DatasetScore* score : scores) {
    SourceMetrics metrics;
    metrics.source = score->source_name;
    metrics.dataset = scope_of(score->per_type, score->overall, score->mouse, score->profile);
    if (clip_index >= 0 && static_cast<size_t>(clip_index) < score->clips.size()) {
      const DatasetClipScore& clip = score->clips[static_cast<size_t>(clip_index)];
      if (clip.error.empty()) metrics.clip = scope_of(clip.evaluation.by_type, clip.evaluation.total, clip.evaluation.mouse, score->profile);
    }
    out.push_back(std::move(metrics));
  }
  return out;
}

std::vector<MetricDelta> a_vs_b(const ScopeMetrics& a, const ScopeMetrics& b) {
  std::vector<MetricDelta> out;
  for (size_t i = 0; i < a.types.size() && i < b.types.size(); ++i) {
    std::string name = action_type_name(a.types[i].type);
    out.push_back({name + " P", a.types[i].prf.precision, b.types[i].prf.precision});
    out.push_back({name + " R", a.types[i].prf.recall, b.types[i].prf.recall});
    out.push_back({name + " F1", a.types[i].prf.f1, b.types[i].prf.f1});
  }
  out.push_back({"overall F1", a.total_prf.f1, b.total_prf.f1});
  out.push_back({"mouse frame F1", a.mouse.frame_f1, b.mouse.frame_f1});
  out.push_back({"mouse R2", a.mouse.r2, b.mouse.r2});
  out.push_back({"mouse cosine", a.mouse.cosine, b.mouse.cosine});
  out.push_back({"mouse L2 (lower is better)", a.mouse.l2, b.mouse.l2});
  out.push_back({"mouse DirAcc", a.mouse.dir_acc, b.mouse.dir_acc});
  return out;
}

nlohmann::ordered_json source_metrics_json(const std::vector<SourceMetrics>& metrics, const ScoringProfile& profile) {
  Json out;
  out["profile"] = profile.name;
  Json tolerance = Json::object();
  for (int type = 0; type < kActionTypeCount; ++type) {
    if (profile.scored[static_cast<size_t>(type)]) tolerance[action_type_name(static_cast<ActionType>(type))] = profile.tolerance_frames[static_cast<size_t>(type)];
  }
  out["tolerance"] = tolerance;
  Json sources = Json::array();
  for (const SourceMetrics& source : metrics) {
    Json item;
    item["source"] = source.source;
    item["dataset"] = scope_json(source.dataset);
    item["clip"] = source.clip ? scope_json(*source.clip) : Json(nullptr);
    sources.push_back(std::move(item));
  }
  out["sources"] = sources;
  return out;
}

std::string metrics_table_csv(const std::vector<const DatasetScore*>& scores) {
  std::string out = "clip,tag,source,error,tp,fp,fn,neutral,precision,recall,f1";
  const ScoringProfile* profile = scores.empty() ? nullptr : &scores.front()->profile;
  if (profile) {
    for (int type = 0; type < kActionTypeCount; ++type) {
      if (!profile->scored[static_cast<size_t>(type)]) continue;
      std::string name = action_type_name(static_cast<ActionType>(type));
      out += "," + name + "_tp," + name + "_fp," + name + "_fn," + name + "_precision," + name + "_recall," + name + "_f1";
    }
  }
  out += ",mouse_frames,mouse_frame_f1,mouse_r2,mouse_cosine,mouse_l2,mouse_dir_acc\n";
  size_t clips = scores.empty() ? 0 : scores.front()->clips.size();
  for (size_t c = 0; c < clips; ++c) {
    for (const DatasetScore* score : scores) {
      const DatasetClipScore& clip = score->clips[c];
      const ClipEvaluation& e = clip.evaluation;
      Prf prf = precision_recall_f1(e.total);
      out += csv_field(clip.key) + "," + csv_field(clip.tag) + "," + csv_field(score->source_name) + "," + csv_field(clip.error) + "," +
             std::to_string(e.total.tp) + "," + std::to_string(e.total.fp) + "," + std::to_string(e.total.fn) + "," +
             std::to_string(e.total.neutral) + "," + real(prf.precision) + "," + real(prf.recall) + "," + real(prf.f1);
      for (int type = 0; type < kActionTypeCount; ++type) {
        if (!score->profile.scored[static_cast<size_t>(type)]) continue;
        const Counts& counts = e.by_type[static_cast<size_t>(type)];
        Prf type_prf = precision_recall_f1(counts);
        out += "," + std::to_string(counts.tp) + "," + std::to_string(counts.fp) + "," + std::to_string(counts.fn) + "," +
               real(type_prf.precision) + "," + real(type_prf.recall) + "," + real(type_prf.f1);
      }
      out += "," + std::to_string(e.mouse.frames) + "," + optional_real(e.mouse.frame_f1) + "," + optional_real(e.mouse.r2) + "," +
             optional_real(e.mouse.cosine) + "," + optional_real(e.mouse.l2) + "," + optional_real(e.mouse.dir_acc) + "\n";
    }
  }
  return out;
}

}  // namespace idm::analysis
