#include "scoring/evaluate.hpp"

#include <cstdio>
#include <map>

#include "gt/gesture.hpp"
#include "gt/overrides.hpp"
#include "gt/pipeline.hpp"
#include "scoring/predictions.hpp"

namespace idm {

const char* outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::TruePositive: return "TP";
    case Outcome::FalsePositive: return "FP";
    case Outcome::FalseNegative: return "FN";
    case Outcome::Neutral: return "neutral";
    case Outcome::Excluded: return "excluded";
    case Outcome::OutsideWindow: return "outside window";
    case Outcome::NotScored: return "not scored";
  }
  return "?";
}

namespace {

std::string move_detail(double dx, double dy) {
  char text[64];
  std::snprintf(text, sizeof text, "%g,%g", dx, dy);
  return text;
}

}  // namespace

PreparedClipEvaluation prepare_clip_evaluation(const ClipEvaluationInput& input, const ScoringProfile& profile) {
  PreparedClipEvaluation prepared;
  ClipEvaluation& out = prepared.base;
  const ClipLog& log = *input.log;

  // GT: canonical list, overrides, labels.
  std::vector<std::string> expansion_warnings;
  std::vector<Action> canonical = filter_actions(log.events, log.start_s, profile.fps, &expansion_warnings);
  if (profile.coalesce) canonical = coalesce_actions(canonical);
  OverriddenGt overridden = apply_overrides(canonical, profile.apply_overrides ? input.overrides : nullptr);
  ResolvedLabels labels = resolve_labels(input.labels, overridden.canonical_count + overridden.addition_count);
  out.warnings = std::move(expansion_warnings);
  out.warnings.insert(out.warnings.end(), overridden.warnings.begin(), overridden.warnings.end());
  out.warnings.insert(out.warnings.end(), labels.warnings.begin(), labels.warnings.end());
  out.index_warnings = overridden.index_warnings + labels.index_warnings;

  std::vector<bool> kept;
  if (profile.windows) kept = kept_frames(input.grid_frames, *profile.windows);
  auto frame_kept = [&](int frame) {
    if (frame < 0) return false;
    if (!profile.windows) return true;
    return static_cast<size_t>(frame) < kept.size() && kept[static_cast<size_t>(frame)];
  };

  for (ScoredGtItem& item : overridden.items) {
    GtOutcome gt;
    if (item.label_index >= 0) gt.label = labels.by_label_index[static_cast<size_t>(item.label_index)];
    gt.item = std::move(item);
    out.gt.push_back(std::move(gt));
  }
  GestureGt gesture = compute_gesture_gt(log, input.width, input.height, profile.fps);
  for (const FrameMovement& move : gesture.moves) {
    GtOutcome gt;
    gt.item.action = {move.frame, ActionType::MouseMove, std::to_string(move.nx) + "," + std::to_string(move.ny)};
    out.gt.push_back(std::move(gt));
  }

  // Predictions: the reference filter, plus MouseMove vectors for §8.
  FilteredPredictions filtered;
  if (input.predictions) {
    filtered = filter_predictions(*input.predictions, {.keep_mouse_move = true, .signed_scroll = profile.signed_scroll});
  }
  out.malformed_predictions = filtered.malformed;
  for (Action& action : filtered.events) out.predictions.push_back({std::move(action), Outcome::FalsePositive, -1});
  for (const MoveVector& move : filtered.moves) {
    out.predictions.push_back({{move.frame, ActionType::MouseMove, move_detail(move.dx, move.dy)}, Outcome::FalsePositive, -1});
  }

  // Only scored types inside the kept frames take part in matching.
  for (size_t i = 0; i < out.gt.size(); ++i) {
    const Action& action = out.gt[i].item.action;
    if (!profile.scored[static_cast<size_t>(action.type)]) out.gt[i].outcome = Outcome::NotScored;
    else if (!frame_kept(action.frame)) out.gt[i].outcome = Outcome::OutsideWindow;
    else {
      prepared.gt_actions.push_back(action);
      prepared.gt_positions.push_back(i);
    }
  }
  for (size_t i = 0; i < out.predictions.size(); ++i) {
    const Action& action = out.predictions[i].action;
    if (!profile.scored[static_cast<size_t>(action.type)]) out.predictions[i].outcome = Outcome::NotScored;
    else if (!frame_kept(action.frame)) out.predictions[i].outcome = Outcome::OutsideWindow;
    else {
      prepared.prediction_actions.push_back(action);
      prepared.prediction_positions.push_back(i);
    }
  }
  out.gt_count = static_cast<int64_t>(prepared.gt_actions.size());
  out.pred_count = static_cast<int64_t>(prepared.prediction_actions.size());
  prepared.match_order = match_order(prepared.prediction_actions, MatchRules{});

  // §8 mouse metrics over the kept frames: first predicted vector per frame, extras are FPs.
  std::map<int, MouseFrame> frames;
  for (const FrameMovement& move : gesture.moves) {
    if (!frame_kept(move.frame)) continue;
    MouseFrame& frame = frames[move.frame];
    frame.frame = move.frame;
    frame.has_gt = true;
    frame.gt_x = move.nx;
    frame.gt_y = move.ny;
  }
  for (const MoveVector& move : filtered.moves) {
    if (!frame_kept(move.frame)) continue;
    MouseFrame& frame = frames[move.frame];
    frame.frame = move.frame;
    if (frame.has_prediction) {
      ++out.mouse_frames.extra_predictions;
      continue;
    }
    frame.has_prediction = true;
    frame.pred_x = move.dx;
    frame.pred_y = move.dy;
  }
  for (auto& [frame_index, frame] : frames) out.mouse_frames.frames.push_back(frame);
  out.mouse = compute_mouse_metrics(out.mouse_frames);
  return prepared;
}

CountsByType match_prepared(const PreparedClipEvaluation& prepared, const ScoringProfile& profile, ClipEvaluation* record) {
  MatchRules rules;
  rules.tolerance_frames = profile.tolerance_frames;
  MatchResult match = match_actions(prepared.gt_actions, prepared.prediction_actions, rules, prepared.match_order);
  const std::vector<GtOutcome>& gt_list = record ? record->gt : prepared.base.gt;
  CountsByType by_type{};
  for (size_t g = 0; g < prepared.gt_actions.size(); ++g) {
    size_t gt_index = prepared.gt_positions[g];
    const GtOutcome& gt = gt_list[gt_index];
    bool excluded = gt.label && profile.excluded[static_cast<size_t>(*gt.label)];
    Counts& counts = by_type[static_cast<size_t>(gt.item.action.type)];
    int p = match.prediction_of_gt[g];
    if (p >= 0) {
      size_t prediction_index = prepared.prediction_positions[static_cast<size_t>(p)];
      if (record) {
        record->gt[gt_index].matched_prediction = static_cast<int>(prediction_index);
        record->predictions[prediction_index].matched_gt = static_cast<int>(gt_index);
        record->gt[gt_index].outcome = record->predictions[prediction_index].outcome = excluded ? Outcome::Neutral : Outcome::TruePositive;
      }
      ++(excluded ? counts.neutral : counts.tp);
    } else {
      if (record) record->gt[gt_index].outcome = excluded ? Outcome::Excluded : Outcome::FalseNegative;
      if (!excluded) ++counts.fn;
    }
  }
  for (size_t p = 0; p < prepared.prediction_actions.size(); ++p) {
    if (match.gt_of_prediction[p] < 0) ++by_type[static_cast<size_t>(prepared.prediction_actions[p].type)].fp;
  }
  return by_type;
}

ClipEvaluation evaluate_clip(const ClipEvaluationInput& input, const ScoringProfile& profile) {
  PreparedClipEvaluation prepared = prepare_clip_evaluation(input, profile);
  ClipEvaluation out = std::move(prepared.base);
  prepared.base = ClipEvaluation{};
  out.by_type = match_prepared(prepared, profile, &out);
  for (int type = 0; type < kActionTypeCount; ++type) {
    if (profile.scored[static_cast<size_t>(type)]) out.total += out.by_type[static_cast<size_t>(type)];
  }
  return out;
}

}  // namespace idm
