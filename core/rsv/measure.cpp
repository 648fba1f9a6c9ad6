#include "rsv/measure.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace idm::rsv {

namespace {

constexpr double kMoveToleranceCm = 1.0;  // the card's per-step tolerance
constexpr double kTurnToleranceDeg = 0.01;

double median_of(std::vector<double> values) {
  if (values.empty()) return 0.0;
  size_t middle = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<ptrdiff_t>(middle), values.end());
  return values[middle];
}

double rounded(double value) { return std::round(value * 10.0) / 10.0 + 0.0; }

}  // namespace

bool ConventionsMeasurement::any_contradiction() const {
  for (const ActionMeasurement& action : actions) {
    if (action.verdict == "contradicted") return true;
  }
  return false;
}

std::vector<std::string> ConventionsMeasurement::contradicted_names() const {
  std::vector<std::string> names;
  for (const ActionMeasurement& action : actions) {
    if (action.verdict == "contradicted") names.push_back(action.name);
  }
  return names;
}

Conventions ConventionsMeasurement::effective(const Conventions& table) const {
  Conventions out = table;
  for (const ActionMeasurement& measured : actions) {
    if (measured.verdict != "contradicted") continue;
    for (ActionEffect& effect : out.actions) {
      if (effect.name != measured.name) continue;
      effect.forward_cm = rounded(measured.median.forward_cm);
      effect.right_cm = rounded(measured.median.right_cm);
      effect.up_cm = rounded(measured.median.up_cm);
      effect.yaw_deg = std::round(measured.median.yaw_deg * 1000.0) / 1000.0;
      effect.pitch_deg = std::round(measured.median.pitch_deg * 1000.0) / 1000.0;
      effect.status = "measured";
      effect.why = "measured from the release's metadata (the table disagreed)";
    }
  }
  return out;
}

ConventionsMeasurement measure_conventions(const std::vector<const RsvMeta*>& metas, const Conventions& table) {
  ConventionsMeasurement out;
  struct Samples {
    std::vector<double> forward, right, up, yaw, pitch;
  };
  std::map<std::string, Samples> samples;
  std::map<std::string, ActionMeasurement> by_name;
  for (const ActionEffect& effect : table.actions) by_name[effect.name].name = effect.name;
  for (const RsvMeta* meta : metas) {
    if (!meta->steps_valid) continue;
    ++out.trajectories;
    for (const StepRecord& step : meta->steps) {
      const ActionEffect* effect = table.find(step.action);
      if (!effect || step.collision) continue;
      ActionMeasurement& measured = by_name[step.action];
      BodyDelta delta = body_delta(step.start, step.actual_end);
      Samples& s = samples[step.action];
      s.forward.push_back(delta.forward_cm);
      s.right.push_back(delta.right_cm);
      s.up.push_back(delta.up_cm);
      s.yaw.push_back(delta.yaw_deg);
      s.pitch.push_back(delta.pitch_deg);
      ++measured.steps;
      ++measured.action_ids[step.action_id];
      measured.histograms["forward_cm"][rounded(delta.forward_cm)]++;
      measured.histograms["right_cm"][rounded(delta.right_cm)]++;
      measured.histograms["up_cm"][rounded(delta.up_cm)]++;
      measured.histograms["yaw_deg"][rounded(delta.yaw_deg)]++;
      measured.histograms["pitch_deg"][rounded(delta.pitch_deg)]++;
      bool agrees = std::fabs(delta.forward_cm - effect->forward_cm) <= kMoveToleranceCm &&
                    std::fabs(delta.right_cm - effect->right_cm) <= kMoveToleranceCm &&
                    std::fabs(delta.up_cm - effect->up_cm) <= kMoveToleranceCm &&
                    std::fabs(wrap_degrees(delta.yaw_deg - effect->yaw_deg)) <= kTurnToleranceDeg &&
                    std::fabs(wrap_degrees(delta.pitch_deg - effect->pitch_deg)) <= kTurnToleranceDeg;
      if (agrees) ++measured.agreeing;
      if (table.is_translation(step.action) && std::fabs(step.start.rotation_deg.x) > kTurnToleranceDeg) {
        ++measured.moves_with_pitch;
        if (std::fabs(delta.up_cm) > kMoveToleranceCm) ++measured.moves_with_pitch_off_plane;
      }
    }
  }
  for (const ActionEffect& effect : table.actions) {
    ActionMeasurement measured = by_name[effect.name];
    const Samples& s = samples[effect.name];
    measured.median = {median_of(s.forward), median_of(s.right), median_of(s.up), median_of(s.yaw), median_of(s.pitch)};
    if (measured.steps == 0) {
      measured.verdict = "no data";
    } else {
      auto compare = [&](const char* what, double got, double want, double tolerance, const char* unit) {
        if (std::fabs(got - want) > tolerance) {
          char text[160];
          std::snprintf(text, sizeof text, "%s: measured %.2f %s, the table says %.2f", what, got, unit, want);
          measured.findings.push_back(text);
        }
      };
      compare("forward", measured.median.forward_cm, effect.forward_cm, kMoveToleranceCm, "cm");
      compare("right", measured.median.right_cm, effect.right_cm, kMoveToleranceCm, "cm");
      compare("up", measured.median.up_cm, effect.up_cm, kMoveToleranceCm, "cm");
      compare("yaw", measured.median.yaw_deg, effect.yaw_deg, kTurnToleranceDeg, "deg");
      compare("pitch", measured.median.pitch_deg, effect.pitch_deg, kTurnToleranceDeg, "deg");
      measured.verdict = measured.findings.empty() ? "agrees" : "contradicted";
      if (!measured.action_ids.empty()) {
        auto most = std::max_element(measured.action_ids.begin(), measured.action_ids.end(),
                                     [](const auto& x, const auto& y) { return x.second < y.second; });
        if (most->first != effect.id) {
          measured.findings.push_back("action_id: the files use " + std::to_string(most->first) + ", the table says " +
                                      std::to_string(effect.id));
          measured.verdict = "contradicted";
        }
      }
      if (measured.moves_with_pitch_off_plane > 0) {
        measured.findings.push_back(std::to_string(measured.moves_with_pitch_off_plane) + " of " +
                                    std::to_string(measured.moves_with_pitch) + " moves at a non-zero pitch leave the plane");
        measured.verdict = "contradicted";
      }
    }
    out.actions.push_back(std::move(measured));
  }
  return out;
}

}  // namespace idm::rsv
