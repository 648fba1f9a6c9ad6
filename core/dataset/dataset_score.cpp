#include "dataset/dataset_score.hpp"

#include <cstdio>

#include "dataset/side_files.hpp"

namespace idm {

namespace {

using Json = nlohmann::ordered_json;

Json optional_number(const std::optional<double>& value) { return value ? Json(*value) : Json(nullptr); }

Json counts_json(const Counts& counts, bool with_neutral) {
  Prf prf = precision_recall_f1(counts);
  Json out = {{"precision", prf.precision}, {"recall", prf.recall}, {"f1", prf.f1},
              {"tp", counts.tp}, {"fp", counts.fp}, {"fn", counts.fn}};
  if (with_neutral) out["neutral"] = counts.neutral;
  return out;
}

Json per_type_json(const CountsByType& by_type, const ScoringProfile& profile) {
  Json out = Json::object();
  for (int type = 0; type < kActionTypeCount; ++type) {
    if (profile.scored[static_cast<size_t>(type)]) {
      out[action_type_name(static_cast<ActionType>(type))] = counts_json(by_type[static_cast<size_t>(type)], true);
    }
  }
  return out;
}

Json mouse_json(const MouseMetrics& mouse) {
  return {{"frame_f1", optional_number(mouse.frame_f1)}, {"r2", optional_number(mouse.r2)},
          {"cosine", optional_number(mouse.cosine)},     {"l2", optional_number(mouse.l2)},
          {"dir_acc", optional_number(mouse.dir_acc)},   {"frames", mouse.frames}};
}

std::string format_optional(const std::optional<double>& value) {
  if (!value) return "null";
  char text[32];
  std::snprintf(text, sizeof text, "%.4f", *value);
  return text;
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

ClipEvaluationInput dataset_clip_input(const DatasetClip& clip, const AnnotationsFile& annotations, const OverridesFile& overrides,
                                       const PredictionSet& predictions) {
  ClipEvaluationInput input;
  input.log = &clip.log;
  if (auto it = overrides.clips.find(clip.key); it != overrides.clips.end()) input.overrides = &it->second;
  if (auto it = annotations.clips.find(clip.key); it != annotations.clips.end()) input.labels = &it->second;
  if (auto it = predictions.by_clip.find(clip.key); it != predictions.by_clip.end()) input.predictions = &it->second;
  input.grid_frames = clip_grid_frames(clip);
  input.width = clip_width(clip);
  input.height = clip_height(clip);
  return input;
}

DatasetScore score_dataset(const Dataset& dataset, const PredictionSet& predictions, const ScoringProfile& profile) {
  return score_dataset(dataset.clips, dataset.annotations, dataset.overrides, predictions, profile);
}

DatasetScore score_dataset(const std::vector<DatasetClip>& clips, const AnnotationsFile& annotations, const OverridesFile& overrides,
                           const PredictionSet& predictions, const ScoringProfile& profile,
                           const std::function<bool(size_t, size_t)>& keep_going) {
  DatasetScore out;
  out.profile = profile;
  out.source_name = predictions.name;
  MouseFrameSet pooled;
  for (const DatasetClip& clip : clips) {
    if (keep_going && !keep_going(out.clips.size(), clips.size())) break;
    DatasetClipScore score;
    score.key = clip.key;
    score.tag = clip.log.tag;
    if (!clip.loaded) {
      score.error = clip.error;
      out.clips.push_back(std::move(score));
      continue;
    }
    if (auto excluded = predictions.excluded.find(clip.key); excluded != predictions.excluded.end()) {
      score.error = "left out of scores: " + excluded->second + " in " + predictions.name;
      score.left_out = true;
      out.clips.push_back(std::move(score));
      continue;
    }
    ClipEvaluationInput input = dataset_clip_input(clip, annotations, overrides, predictions);
    auto found = predictions.by_clip.find(clip.key);
    score.evaluation = evaluate_clip(input, profile);
    score.warnings = score.evaluation.warnings;
    if (found == predictions.by_clip.end()) score.warnings.push_back("no predictions for this clip in " + predictions.name);
    if (auto bad = predictions.bad_answers.find(clip.key); bad != predictions.bad_answers.end()) {
      score.warnings.push_back(std::to_string(bad->second) + " model answer(s) empty or without a JSON array, scored as []");
    }
    if (score.evaluation.malformed_predictions > 0) {
      score.warnings.push_back(std::to_string(score.evaluation.malformed_predictions) + " malformed predictions dropped");
    }
    for (int type = 0; type < kActionTypeCount; ++type) out.per_type[static_cast<size_t>(type)] += score.evaluation.by_type[static_cast<size_t>(type)];
    out.overall += score.evaluation.total;
    pooled.append(score.evaluation.mouse_frames);
    out.clips.push_back(std::move(score));
  }
  out.mouse = compute_mouse_metrics(pooled);
  return out;
}

Json dataset_score_json(const DatasetScore& score) {
  Json out;
  out["profile"] = score.profile.name;
  out["predictions"] = score.source_name;
  out["overall"] = counts_json(score.overall, true);
  out["per_type"] = per_type_json(score.per_type, score.profile);
  out["mouse"] = mouse_json(score.mouse);
  Json clips = Json::array();
  for (const DatasetClipScore& clip : score.clips) {
    Json item;
    item["clip"] = clip.key;
    item["tag"] = clip.tag;
    if (!clip.error.empty()) {
      item["error"] = clip.error;
      if (clip.left_out) item["left_out"] = true;
      clips.push_back(std::move(item));
      continue;
    }
    const ClipEvaluation& evaluation = clip.evaluation;
    item["gt_count"] = evaluation.gt_count;
    item["pred_count"] = evaluation.pred_count;
    item["tp"] = evaluation.total.tp;
    item["fp"] = evaluation.total.fp;
    item["fn"] = evaluation.total.fn;
    item["neutral"] = evaluation.total.neutral;
    item["f1"] = precision_recall_f1(evaluation.total).f1;
    item["per_type"] = per_type_json(evaluation.by_type, score.profile);
    item["mouse"] = mouse_json(evaluation.mouse);
    item["malformed_predictions"] = evaluation.malformed_predictions;
    item["warnings"] = clip.warnings;
    clips.push_back(std::move(item));
  }
  out["clips"] = clips;
  return out;
}

std::string dataset_score_csv(const DatasetScore& score) {
  std::string out = "clip,tag,error,gt_count,pred_count,tp,fp,fn,neutral,precision,recall,f1";
  for (int type = 0; type < kActionTypeCount; ++type) {
    if (!score.profile.scored[static_cast<size_t>(type)]) continue;
    std::string name = action_type_name(static_cast<ActionType>(type));
    out += "," + name + "_tp," + name + "_fp," + name + "_fn," + name + "_f1";
  }
  out += ",mouse_frames,mouse_frame_f1,mouse_r2,mouse_cosine,mouse_l2,mouse_dir_acc,warnings\n";
  char number[64];
  auto real = [&](double value) {
    std::snprintf(number, sizeof number, "%.6f", value);
    return std::string(number);
  };
  auto optional_real = [&](const std::optional<double>& value) { return value ? real(*value) : std::string(); };
  for (const DatasetClipScore& clip : score.clips) {
    const ClipEvaluation& e = clip.evaluation;
    Prf prf = precision_recall_f1(e.total);
    out += csv_field(clip.key) + "," + csv_field(clip.tag) + "," + csv_field(clip.error) + "," + std::to_string(e.gt_count) + "," +
           std::to_string(e.pred_count) + "," + std::to_string(e.total.tp) + "," + std::to_string(e.total.fp) + "," +
           std::to_string(e.total.fn) + "," + std::to_string(e.total.neutral) + "," + real(prf.precision) + "," +
           real(prf.recall) + "," + real(prf.f1);
    for (int type = 0; type < kActionTypeCount; ++type) {
      if (!score.profile.scored[static_cast<size_t>(type)]) continue;
      const Counts& counts = e.by_type[static_cast<size_t>(type)];
      out += "," + std::to_string(counts.tp) + "," + std::to_string(counts.fp) + "," + std::to_string(counts.fn) + "," +
             real(precision_recall_f1(counts).f1);
    }
    std::string warnings;
    for (const std::string& warning : clip.warnings) warnings += (warnings.empty() ? "" : "; ") + warning;
    out += "," + std::to_string(e.mouse.frames) + "," + optional_real(e.mouse.frame_f1) + "," + optional_real(e.mouse.r2) + "," +
           optional_real(e.mouse.cosine) + "," + optional_real(e.mouse.l2) + "," + optional_real(e.mouse.dir_acc) + "," +
           csv_field(warnings) + "\n";
  }
  return out;
}

std::string dataset_score_text(const DatasetScore& score) {
  std::string out;
  char line[512];
  auto row = [&](const std::string& label, const Counts& counts) {
    Prf prf = precision_recall_f1(counts);
    std::snprintf(line, sizeof line, "  %-12s P=%.4f  R=%.4f  F1=%.4f  (TP=%lld FP=%lld FN=%lld neutral=%lld)\n", label.c_str(),
                  prf.precision, prf.recall, prf.f1, static_cast<long long>(counts.tp), static_cast<long long>(counts.fp),
                  static_cast<long long>(counts.fn), static_cast<long long>(counts.neutral));
    out += line;
  };
  size_t broken = 0, left_out = 0;
  for (const auto& clip : score.clips) {
    left_out += clip.left_out;
    broken += !clip.error.empty() && !clip.left_out;
  }
  std::snprintf(line, sizeof line, "Profile %s, predictions %s: %zu clips (%zu unreadable%s)\n", score.profile.name.c_str(),
                score.source_name.c_str(), score.clips.size(), broken,
                left_out ? (", " + std::to_string(left_out) + " left out: inference failed").c_str() : "");
  out += line;
  out += "Overall:\n";
  row("all", score.overall);
  out += "Per type:\n";
  for (int type = 0; type < kActionTypeCount; ++type) {
    if (score.profile.scored[static_cast<size_t>(type)]) row(action_type_name(static_cast<ActionType>(type)), score.per_type[static_cast<size_t>(type)]);
  }
  std::snprintf(line, sizeof line, "Mouse (%lld frames): frame F1=%s  R2=%s  cosine=%s  L2=%s  DirAcc=%s\n",
                static_cast<long long>(score.mouse.frames), format_optional(score.mouse.frame_f1).c_str(),
                format_optional(score.mouse.r2).c_str(), format_optional(score.mouse.cosine).c_str(),
                format_optional(score.mouse.l2).c_str(), format_optional(score.mouse.dir_acc).c_str());
  out += line;
  out += "Per clip:\n";
  for (const DatasetClipScore& clip : score.clips) {
    if (!clip.error.empty()) {
      out += "  " + clip.key + (clip.left_out ? "  LEFT OUT: " : "  UNREADABLE: ") + clip.error + "\n";
      continue;
    }
    const ClipEvaluation& e = clip.evaluation;
    std::snprintf(line, sizeof line, "  %-60s %-16s gt=%3lld pred=%3lld tp=%3lld fp=%3lld fn=%3lld F1=%.4f\n", clip.key.c_str(),
                  clip.tag.c_str(), static_cast<long long>(e.gt_count), static_cast<long long>(e.pred_count),
                  static_cast<long long>(e.total.tp), static_cast<long long>(e.total.fp), static_cast<long long>(e.total.fn),
                  precision_recall_f1(e.total).f1);
    out += line;
    for (const std::string& warning : clip.warnings) out += "      warning: " + warning + "\n";
  }
  return out;
}

}  // namespace idm
