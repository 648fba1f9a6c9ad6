// The timeline: a ruler of grid frames, the raw events at their µs time, key/button holds as
// spans, GT lanes per type, and per prediction source a lane joined to the GT where matched.
// Wheel zooms around the mouse, right- or middle-drag (or Shift+wheel) pans, double-click on
// the ruler fits, a left click or drag scrubs (at native-frame resolution when zoomed in).
#include <imgui.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <string>

#include "gt/frame_rule.hpp"
#include "editor.hpp"
#include "lane_marks.hpp"
#include "overlay.hpp"
#include "panels.hpp"

namespace idm::gui {

namespace {

constexpr float kLabelWidth = 190.0f;  // fits "TP 123  FP 45  FN 67  F1 0.891"
constexpr float kLaneHeight = 22.0f;
constexpr float kHoldLaneHeight = 30.0f;
constexpr int kHoldRows = 4;
constexpr double kGridFps = 5.0;
constexpr double kMinVisibleFrames = 0.6;    // zoomed in: a bit more than one grid frame
constexpr float kNativeScrubFrameWidth = 90;  // px per grid frame from which scrubbing goes native

ImU32 outcome_colour(Outcome outcome) {
  switch (outcome) {
    case Outcome::TruePositive: return IM_COL32(70, 185, 95, 255);
    case Outcome::FalsePositive: return IM_COL32(235, 150, 40, 255);
    case Outcome::FalseNegative: return IM_COL32(220, 70, 70, 255);
    case Outcome::Neutral: return IM_COL32(130, 130, 150, 255);
    case Outcome::Excluded: return IM_COL32(90, 90, 100, 255);
    case Outcome::OutsideWindow:
    case Outcome::NotScored: return IM_COL32(70, 70, 78, 255);
  }
  return IM_COL32(120, 120, 120, 255);
}

// Visibility badge: a letter on its own colour, so labels read at a glance.
struct Badge {
  const char* letter;
  ImU32 colour;
};
std::optional<Badge> label_badge(const std::optional<Visibility>& label) {
  if (!label) return std::nullopt;
  switch (*label) {
    case Visibility::Visible: return Badge{"V", IM_COL32(60, 160, 230, 255)};
    case Visibility::Inferable: return Badge{"I", IM_COL32(170, 120, 230, 255)};
    case Visibility::Ambiguous: return Badge{"A", IM_COL32(230, 200, 60, 255)};
    case Visibility::NotPredictable: return Badge{"N", IM_COL32(150, 150, 150, 255)};
  }
  return std::nullopt;
}

struct Lanes {
  ImDrawList* draw;
  ImVec2 origin;      // top-left of the lane area (right of the labels)
  float width;        // of the lane area
  float frame_width;  // pixels per grid frame
  double left;        // grid position at the lane area's left edge
  float y = 0;        // top of the next lane, relative to origin
  float x_of(double grid_position) const { return origin.x + static_cast<float>((grid_position - left) * frame_width); }
  double position_at(float x) const { return left + (x - origin.x) / frame_width; }
  // The part of a box inside the lane area (hover tests must ignore what is scrolled away).
  ImVec4 visible_part(ImVec4 box) const {
    box.x = std::max(box.x, origin.x);
    box.z = std::min(box.z, origin.x + width);
    if (box.z < box.x) box.z = box.x - 1;  // empty: nothing can hover it
    return box;
  }
  void label(const char* text, float height = kLaneHeight) const {
    // Not intersected with the lane area's clip: labels live left of it.
    draw->PushClipRect(ImVec2(origin.x - kLabelWidth, origin.y + y), ImVec2(origin.x - 2, origin.y + y + height), false);
    draw->AddText(ImVec2(origin.x - kLabelWidth + 6, origin.y + y + 3), IM_COL32(200, 200, 210, 255), text);
    draw->PopClipRect();
  }
};

// A box in a frame column; returns its rectangle for hovering and pair lines.
ImVec4 frame_box(Lanes& lanes, int frame, int slot, int slots, ImU32 colour, const std::string& text,
                 const std::optional<Visibility>& label = std::nullopt) {
  float left = lanes.x_of(frame - 0.5) + 1;
  float width = lanes.frame_width - 2;
  float height = (kLaneHeight - 4) / static_cast<float>(std::max(slots, 1));
  float top = lanes.origin.y + lanes.y + 2 + height * static_cast<float>(slot);
  ImVec2 a(left, top), b(left + width, top + height - 1);
  lanes.draw->AddRectFilled(a, b, colour, 2.0f);
  float text_x = a.x + 2;
  if (auto badge = label_badge(label); badge && width > 14) {
    lanes.draw->AddRectFilled(ImVec2(a.x + 1, a.y + 1), ImVec2(a.x + 13, b.y - 1), badge->colour, 2.0f);
    lanes.draw->AddText(ImVec2(a.x + 3, a.y), IM_COL32(10, 10, 10, 255), badge->letter);
    text_x += 14;
  }
  if (width > 24 && height >= 8) {
    // Shared cells are short: their detail is written smaller rather than not at all.
    float font_size = std::min(ImGui::GetFontSize(), height + 2);
    lanes.draw->PushClipRect(a, b, true);
    lanes.draw->AddText(nullptr, font_size, ImVec2(text_x, a.y + std::max(0.0f, (height - 1 - font_size) / 2)), IM_COL32(15, 15, 15, 255),
                        text.c_str());
    lanes.draw->PopClipRect();
  }
  return lanes.visible_part(ImVec4(a.x, a.y, b.x, b.y));
}

bool hovered(const ImVec4& box) {
  ImVec2 mouse = ImGui::GetMousePos();
  return ImGui::IsWindowHovered() && mouse.x >= box.x && mouse.x <= box.z && mouse.y >= box.y && mouse.y <= box.w;
}

double grid_position_of(double ts_us, const ClipLog& log) { return (ts_us - log.start_s * 1e6) / 1e6 * kGridFps; }

// Wheel zoom around the mouse, pan by right/middle drag or Shift+wheel, double-click fits.
void handle_zoom_and_pan(TimelineUi& ui, const Lanes& lanes, int frames, bool area_hovered) {
  ImGuiIO& io = ImGui::GetIO();
  double visible = ui.fitted() ? frames : ui.visible_frames;
  if (area_hovered && io.MouseWheel != 0.0f) {
    if (io.KeyShift) {
      ui.left -= io.MouseWheel * visible * 0.1;
    } else {
      double anchor = lanes.position_at(io.MousePos.x);
      double zoomed = std::clamp(visible * std::pow(0.8, io.MouseWheel), kMinVisibleFrames, static_cast<double>(frames));
      ui.left = anchor - (anchor - ui.left) * zoomed / visible;
      visible = zoomed;
    }
    ui.visible_frames = visible >= frames ? 0.0 : visible;
  }
  if (area_hovered && (ImGui::IsMouseDragging(ImGuiMouseButton_Right) || ImGui::IsMouseDragging(ImGuiMouseButton_Middle))) {
    ui.left -= io.MouseDelta.x / lanes.frame_width;
  }
  if (ui.fitted()) ui.left = -0.5;
  else ui.left = std::clamp(ui.left, -0.5, frames - 0.5 - ui.visible_frames);
}

void draw_ruler(Lanes& lanes, int frames, float total_height) {
  lanes.label("frame");
  int label_every = lanes.frame_width >= 30 ? 1 : lanes.frame_width >= 12 ? 5 : 10;
  for (int f = 0; f < frames; ++f) {
    float x = lanes.x_of(f - 0.5);
    if (x < lanes.origin.x - lanes.frame_width || x > lanes.origin.x + lanes.width) continue;
    lanes.draw->AddLine(ImVec2(x, lanes.origin.y), ImVec2(x, lanes.origin.y + total_height), IM_COL32(60, 60, 70, 255));
    if (f % label_every == 0) {
      char text[16];
      std::snprintf(text, sizeof text, "F%02d", f);
      lanes.draw->AddText(ImVec2(x + 3, lanes.origin.y + 3), IM_COL32(170, 170, 180, 255), text);
    }
  }
  lanes.y += kLaneHeight;
}

// Raw events at their microsecond time; events within 5 ms of a grid boundary get a red mark.
void draw_raw_events(Lanes& lanes, const ClipLog& log, const ClipEvaluation* evaluation, int frames) {
  lanes.label("raw events");
  const RawEvent* nearest = nullptr;
  float nearest_distance = 4.0f;  // px: hover picks the closest event within this
  ImVec2 mouse = ImGui::GetMousePos();
  bool in_lane = ImGui::IsWindowHovered() && mouse.y >= lanes.origin.y + lanes.y && mouse.y < lanes.origin.y + lanes.y + kLaneHeight;
  for (const RawEvent& event : log.events) {
    double grid_position = grid_position_of(event.ts_us, log);
    if (grid_position < -0.5 || grid_position > frames - 0.5) continue;
    float x = lanes.x_of(grid_position);
    ImU32 colour = event.kind == EventKind::MouseMove ? IM_COL32(90, 120, 200, 160)
                   : event.kind == EventKind::KeyPress || event.kind == EventKind::KeyRelease ? IM_COL32(230, 210, 90, 255)
                                                                                               : IM_COL32(200, 120, 220, 255);
    lanes.draw->AddLine(ImVec2(x, lanes.origin.y + lanes.y + 3), ImVec2(x, lanes.origin.y + lanes.y + kLaneHeight - 3), colour);
    double from_boundary_us = std::fabs(grid_position - std::floor(grid_position) - 0.5) / kGridFps * 1e6;
    if (event.kind != EventKind::MouseMove && from_boundary_us < 5000) {
      lanes.draw->AddCircleFilled(ImVec2(x, lanes.origin.y + lanes.y + 3), 3, IM_COL32(255, 80, 80, 255));
    }
    if (in_lane && std::fabs(mouse.x - x) < nearest_distance) {
      nearest_distance = std::fabs(mouse.x - x);
      nearest = &event;
    }
  }
  if (nearest) {
    std::optional<int64_t> frame = frame_of_timestamp(nearest->ts_us, log.start_s, kGridFps);
    double from_boundary_ms = std::fabs(grid_position_of(nearest->ts_us, log) - std::floor(grid_position_of(nearest->ts_us, log)) - 0.5) / kGridFps * 1e3;
    std::string gt_here;
    if (evaluation && frame) {
      for (const GtOutcome& gt : evaluation->gt) {
        if (gt.item.action.frame == *frame) gt_here += "\n  GT " + std::to_string(gt.item.label_index) + ": " + action_type_name(gt.item.action.type) + " " + gt.item.action.detail;
      }
    }
    ImGui::SetTooltip("%s  %s\nts %.0f us  (+%.3f s into the clip)\nframe F%02lld  (%.1f ms from a grid boundary%s)\nGT actions at this frame:%s",
                      nearest->type_name.c_str(), nearest->payload_json.c_str(), nearest->ts_us, (nearest->ts_us - log.start_s * 1e6) / 1e6,
                      static_cast<long long>(frame.value_or(-1)), from_boundary_ms, from_boundary_ms < 5 ? ", ambiguous" : "",
                      gt_here.empty() ? " none" : gt_here.c_str());
  }
  lanes.y += kLaneHeight;
}

// Key and button holds as spans, stacked in a few rows; open ends fade out at the clip edge.
void draw_holds(Lanes& lanes, const std::vector<HoldSpan>& holds, const ClipLog& log) {
  lanes.label("key holds", kHoldLaneHeight);
  float row_height = (kHoldLaneHeight - 2) / kHoldRows;
  std::vector<double> row_end(kHoldRows, -1e300);
  for (const HoldSpan& hold : holds) {
    int row = 0;
    while (row < kHoldRows - 1 && row_end[static_cast<size_t>(row)] > hold.press_us) ++row;
    row_end[static_cast<size_t>(row)] = hold.release_us;
    float x0 = lanes.x_of(grid_position_of(hold.press_us, log));
    float x1 = std::max(x0 + 2, lanes.x_of(grid_position_of(hold.release_us, log)));
    float top = lanes.origin.y + lanes.y + 1 + row_height * static_cast<float>(row);
    ImU32 colour = hold.mouse_button ? IM_COL32(200, 120, 220, 220) : IM_COL32(230, 210, 90, 200);
    ImU32 faded = hold.mouse_button ? IM_COL32(200, 120, 220, 40) : IM_COL32(230, 210, 90, 40);
    ImVec2 a(x0, top), b(x1, top + row_height - 1);
    lanes.draw->AddRectFilledMultiColor(a, b, hold.open_start ? faded : colour, hold.open_end ? faded : colour,
                                        hold.open_end ? faded : colour, hold.open_start ? faded : colour);
    if (x1 - x0 > 40 && row_height >= 6) {
      lanes.draw->PushClipRect(a, b, true);
      lanes.draw->AddText(nullptr, row_height + 2, ImVec2(x0 + 2, top - 2), IM_COL32(15, 15, 15, 255), hold.name.c_str());
      lanes.draw->PopClipRect();
    }
    if (hovered(lanes.visible_part(ImVec4(a.x, a.y, b.x, b.y)))) {
      ImGui::SetTooltip("%s %s held %.0f ms%s%s\npress %.0f us, release %.0f us%s", hold.mouse_button ? "button" : "key", hold.name.c_str(),
                        (hold.release_us - hold.press_us) / 1e3, hold.open_start ? " (pressed before the clip)" : "",
                        hold.open_end ? " (still held after the clip)" : "", hold.press_us, hold.release_us,
                        hold.repeats > 0 ? ("\n" + std::to_string(hold.repeats) + " auto-repeat presses").c_str() : "");
    }
  }
  lanes.y += kHoldLaneHeight;
}


// The source answered the shown clip in full: not run, or a run still going (its unanswered
// windows would count as misses), is no evidence of a miss.
bool source_answered(const AppState& state, size_t source) {
  const std::string& clip_key = state.dataset.clips[static_cast<size_t>(state.view.clip)].key;
  const PredictionSet& predictions = state.sources[source].predictions;
  return predictions.by_clip.count(clip_key) > 0 && predictions.excluded.count(clip_key) == 0;
}

std::vector<std::string> source_names(const AppState& state) {
  std::vector<std::string> names;
  for (const Source& source : state.sources) names.push_back(source.predictions.name);
  return names;
}

std::vector<bool> sources_answered(const AppState& state) {
  std::vector<bool> answered;
  for (size_t s = 0; s < state.sources.size(); ++s) answered.push_back(source_answered(state, s));
  return answered;
}

// A GT box is split into one band per source, each in that source's outcome colour, so every
// model's hit or miss shows without hovering.
void draw_outcome_bands(Lanes& lanes, const AppState& state, int gt_position, const ImVec4& box) {
  const std::vector<ClipEvaluation>& evaluations = state.view.evaluations;
  if (evaluations.size() < 2) return;
  float band = (box.w - box.y) / static_cast<float>(evaluations.size());
  for (size_t s = 0; s < evaluations.size(); ++s) {
    int position = same_gt_position(evaluations.front(), gt_position, evaluations[s]);
    if (position < 0) continue;
    ImU32 colour = source_answered(state, s) ? outcome_colour(evaluations[s].gt[static_cast<size_t>(position)].outcome)
                                             : outcome_colour(Outcome::NotScored);
    float top = box.y + band * static_cast<float>(s);
    lanes.draw->AddRectFilled(ImVec2(box.x, top), ImVec2(box.z, top + band), colour, 0.0f);
  }
}

void draw_gt_lanes(Lanes& lanes, const AppState& state, int frames, PanelRequests& requests) {
  bool have_source = !state.view.evaluations.empty();
  const ClipEvaluation* first = have_source ? &state.view.evaluations.front() : &state.view.gt_only;
  const ActionType types[] = {ActionType::KeyPress, ActionType::MouseClick, ActionType::MouseScroll, ActionType::MouseMove};
  for (ActionType type : types) {
    lanes.label((std::string("GT ") + action_type_name(type)).c_str());
    for (size_t i = 0; i < first->gt.size(); ++i) {
      const GtOutcome& gt = first->gt[i];
      if (gt.item.action.type != type || gt.item.action.frame >= frames) continue;
      ImU32 colour = have_source || gt.outcome == Outcome::OutsideWindow || gt.outcome == Outcome::NotScored ? outcome_colour(gt.outcome)
                                                                                                             : IM_COL32(90, 150, 230, 255);
      float left = lanes.x_of(gt.item.action.frame - 0.5) + 1;
      float top = lanes.origin.y + lanes.y + 2;
      draw_outcome_bands(lanes, state, static_cast<int>(i), ImVec4(left, top, left + lanes.frame_width - 2, top + kLaneHeight - 5));
      ImVec4 box = state.view.evaluations.size() >= 2
                       ? frame_box(lanes, gt.item.action.frame, 0, 1, 0, gt.item.action.detail, gt.label)  // the bands are its colour
                       : frame_box(lanes, gt.item.action.frame, 0, 1, colour, gt.item.action.detail, gt.label);
      draw_gt_badge(lanes.draw, box, gt, state, requests);  // provenance, selection, click to select
      if (hovered(box)) {
        // Per-frame mouse motion has no GT index: it is derived from the log, not labelled.
        std::string index = gt.item.label_index >= 0 ? "GT index " + std::to_string(gt.item.label_index)
                                                     : std::string("per-frame mouse motion from the log (not labelled)");
        std::string label = gt.item.label_index < 0 ? std::string()
                            : gt.label             ? std::string("\nlabel ") + visibility_name(*gt.label)
                                                   : std::string("\nunlabelled");
        std::string outcomes = gt_outcomes_text(state.view.evaluations, source_names(state), static_cast<int>(i), sources_answered(state));
        ImGui::SetTooltip("%s %s at F%02d\n%s%s%s%s", action_type_name(type), gt.item.action.detail.c_str(), gt.item.action.frame,
                          index.c_str(), label.c_str(), outcomes.empty() ? "" : "\n", outcomes.c_str());
      }
    }
    lanes.y += kLaneHeight;
  }
}

// Predictions in one lane cell (a frame, and the upper or lower half by type). Up to
// kStackedPredictions share the cell as stacked boxes, each in its own outcome colour; more are
// summarised with a count on the last box. A clip with a million predictions then draws a few
// hundred boxes, not a million.
constexpr int kStackedPredictions = 3;
struct LaneCell {
  std::array<int, kStackedPredictions> shown{};  // indices into evaluation.predictions
  int count = 0;
  std::array<int, 7> by_outcome{};
};

// The lane header: the source's colour, its name cut in the middle to fit, its F1 (full name
// and counts on hover). A source with no answer for this clip says so instead of a 0.
void draw_source_header(Lanes& lanes, const AppState& state, size_t source, const ClipEvaluation& evaluation) {
  ImVec2 top_left(lanes.origin.x - kLabelWidth + 4, lanes.origin.y + lanes.y + 5);
  lanes.draw->AddRectFilled(top_left, ImVec2(top_left.x + 10, top_left.y + 12), source_colour(source), 2.0f);
  const std::string& name = state.sources[source].predictions.name;
  const std::string& clip_key = state.dataset.clips[static_cast<size_t>(state.view.clip)].key;
  const PredictionSet& predictions = state.sources[source].predictions;
  bool answered = source_answered(state, source);  // else "--", never a 0.000
  Prf prf = precision_recall_f1(evaluation.total);
  char score[32];
  if (answered) std::snprintf(score, sizeof score, " %.3f", prf.f1);
  else std::snprintf(score, sizeof score, " --");
  float char_width = ImGui::CalcTextSize("m").x;
  float room = kLabelWidth - 20 - ImGui::CalcTextSize(score).x;
  std::string shown = middle_ellipsis(name, static_cast<size_t>(std::max(4.0f, room / std::max(char_width, 1.0f))));
  std::string text = shown + score;
  lanes.draw->PushClipRect(ImVec2(lanes.origin.x - kLabelWidth, lanes.origin.y + lanes.y), ImVec2(lanes.origin.x - 2, lanes.origin.y + lanes.y + kLaneHeight), false);
  lanes.draw->AddText(ImVec2(top_left.x + 14, lanes.origin.y + lanes.y + 3), IM_COL32(200, 200, 210, 255), text.c_str());
  lanes.draw->PopClipRect();
  ImVec4 header(lanes.origin.x - kLabelWidth, lanes.origin.y + lanes.y, lanes.origin.x - 2, lanes.origin.y + lanes.y + kLaneHeight);
  if (hovered(header)) {
    if (answered) {
      ImGui::SetTooltip("%s\n%s\nTP %lld  FP %lld  FN %lld  P %.3f  R %.3f  F1 %.3f", name.c_str(), state.sources[source].predictions.path.c_str(),
                        static_cast<long long>(evaluation.total.tp), static_cast<long long>(evaluation.total.fp),
                        static_cast<long long>(evaluation.total.fn), prf.precision, prf.recall, prf.f1);
    } else {
      auto excluded = predictions.excluded.find(clip_key);
      ImGui::SetTooltip("%s\n%s\n%s", name.c_str(), predictions.path.c_str(),
                        excluded != predictions.excluded.end() ? ("not scored: " + excluded->second).c_str() : "not run on this clip");
    }
  }
}

// A source's own miss: a red frame around the lane cell of the missed GT item's frame, with a
// notch, so which model missed which action reads without hovering.
ImVec4 draw_miss_mark(Lanes& lanes, int frame) {
  float left = lanes.x_of(frame - 0.5) + 1;
  float right = left + lanes.frame_width - 2;
  float top = lanes.origin.y + lanes.y + 1, bottom = lanes.origin.y + lanes.y + kLaneHeight - 2;
  ImU32 red = outcome_colour(Outcome::FalseNegative);
  lanes.draw->AddRect(ImVec2(left, top), ImVec2(right, bottom), red, 2.0f, 0, 2.0f);
  float middle = (left + right) / 2;
  lanes.draw->AddTriangleFilled(ImVec2(middle - 4, top), ImVec2(middle + 4, top), ImVec2(middle, top + 5), red);
  if (lanes.frame_width > 30) lanes.draw->AddText(ImVec2(left + 3, top + 2), red, "FN");
  return lanes.visible_part(ImVec4(left, top, right, bottom));
}

void draw_source_lanes(Lanes& lanes, const AppState& state, int frames, float gt_lanes_top) {
  std::vector<LaneCell> cells;
  std::vector<MissMark> misses = miss_marks(state.view.evaluations);
  std::vector<std::string> names = source_names(state);
  for (size_t s = 0; s < state.view.evaluations.size(); ++s) {
    const ClipEvaluation& evaluation = state.view.evaluations[s];
    draw_source_header(lanes, state, s, evaluation);
    // Misses first: a prediction in the same cell (an FP of another type) is drawn over it.
    for (const MissMark& miss : misses) {
      if (!source_answered(state, s)) break;
      if (miss.source != s || miss.frame < 0 || miss.frame >= frames || miss.type == ActionType::MouseMove) continue;
      ImVec4 box = draw_miss_mark(lanes, miss.frame);
      if (hovered(box)) {
        const GtOutcome& gt = evaluation.gt[static_cast<size_t>(miss.gt_position)];
        std::string outcomes = gt_outcomes_text(state.view.evaluations, names, miss.gt_position, sources_answered(state));
        ImGui::SetTooltip("%s missed GT %s %s at F%02d (GT index %d)\n%s", names[s].c_str(), action_type_name(gt.item.action.type),
                          gt.item.action.detail.c_str(), gt.item.action.frame, gt.item.label_index, outcomes.c_str());
      }
    }
    cells.assign(static_cast<size_t>(std::max(frames, 0)) * 2, LaneCell{});
    for (size_t p = 0; p < evaluation.predictions.size(); ++p) {
      const PredictionOutcome& prediction = evaluation.predictions[p];
      if (prediction.action.frame < 0 || prediction.action.frame >= frames) continue;
      LaneCell& cell = cells[static_cast<size_t>(prediction.action.frame) * 2 + static_cast<size_t>(prediction.action.type) % 2];
      if (cell.count < kStackedPredictions) cell.shown[static_cast<size_t>(cell.count)] = static_cast<int>(p);
      else cell.shown[kStackedPredictions - 1] = static_cast<int>(p);
      ++cell.count;
      ++cell.by_outcome[static_cast<size_t>(prediction.outcome) % cell.by_outcome.size()];
    }
    for (size_t c = 0; c < cells.size(); ++c) {
      const LaneCell& cell = cells[c];
      if (cell.count == 0) continue;
      int stacked = std::min(cell.count, kStackedPredictions);
      for (int k = 0; k < stacked; ++k) {
        const PredictionOutcome& prediction = evaluation.predictions[static_cast<size_t>(cell.shown[static_cast<size_t>(k)])];
        bool last = k == stacked - 1;
        std::string text = last && cell.count > stacked ? std::to_string(cell.count - stacked + 1) + "x " + prediction.action.detail
                                                        : prediction.action.detail;
        // Half the lane per type parity when both halves are used, split again among the
        // stacked predictions.
        bool shared = cells[c ^ 1].count > 0;
        int slot = shared ? static_cast<int>(c % 2) * stacked + k : k;
        ImVec4 box = frame_box(lanes, prediction.action.frame, slot, shared ? 2 * stacked : stacked, outcome_colour(prediction.outcome), text);
        if (hovered(box)) {
          std::string others;
          if (cell.count > 1) {
            others = "\n" + std::to_string(cell.count) + " predictions in this cell:";
            for (Outcome outcome : {Outcome::TruePositive, Outcome::FalsePositive, Outcome::Neutral, Outcome::OutsideWindow, Outcome::NotScored}) {
              int count = cell.by_outcome[static_cast<size_t>(outcome) % cell.by_outcome.size()];
              if (count > 0) others += " " + std::string(outcome_name(outcome)) + " " + std::to_string(count);
            }
          }
          ImGui::SetTooltip("%s: %s %s at F%02d\n%s%s%s", names[s].c_str(), action_type_name(prediction.action.type), prediction.action.detail.c_str(),
                            prediction.action.frame, outcome_name(prediction.outcome),
                            prediction.matched_gt >= 0
                                ? ("\nmatched GT index " + std::to_string(evaluation.gt[static_cast<size_t>(prediction.matched_gt)].item.label_index)).c_str()
                                : "",
                            others.c_str());
        }
      }
    }
    // Match lines: at most one per GT item.
    for (const GtOutcome& gt : evaluation.gt) {
      if (gt.matched_prediction < 0) continue;
      const Action& matched = evaluation.predictions[static_cast<size_t>(gt.matched_prediction)].action;
      if (matched.frame < 0 || matched.frame >= frames) continue;
      float slot_height = (kLaneHeight - 4) / 2;
      float top = lanes.origin.y + lanes.y + 2 + slot_height * static_cast<float>(static_cast<int>(matched.type) % 2);
      lanes.draw->AddLine(ImVec2(lanes.x_of(matched.frame), top), ImVec2(lanes.x_of(gt.item.action.frame), gt_lanes_top + 2), IM_COL32(70, 185, 95, 120));
    }
    lanes.y += kLaneHeight;
  }
}

// The source frame shown at a grid position: the last frame whose pts is at or before it.
int source_frame_at(const ClipVideo& video, double grid_position) {
  double time_us = static_cast<double>(video.index.container_start_us) + grid_position / kGridFps * 1e6;
  int found = 0;
  for (size_t i = 0; i < video.index.frames.size(); ++i) {
    if (static_cast<double>(video.index.frames[i].pts_us) <= time_us) found = static_cast<int>(i);
  }
  return found;
}

float lanes_height(size_t sources) { return kLaneHeight * static_cast<float>(2 + 4 + sources) + kHoldLaneHeight + 8; }

}  // namespace

float timeline_height(const AppState& state) { return lanes_height(state.sources.size()) + 4 + ImGui::GetTextLineHeightWithSpacing(); }

void draw_timeline(const AppState& state, TimelineUi& ui, PanelRequests& requests) {
  if (state.view.clip < 0) return;
  const DatasetClip& clip = state.dataset.clips[static_cast<size_t>(state.view.clip)];
  ImVec2 start = ImGui::GetCursorScreenPos();
  ImVec2 available = ImGui::GetContentRegionAvail();
  int frames = state.grid_length();
  float lane_width = std::max(10.0f, available.x - kLabelWidth - 8);
  float total_height = lanes_height(state.sources.size());
  bool area_hovered = ImGui::IsWindowHovered() && ImGui::IsMouseHoveringRect(ImVec2(start.x + kLabelWidth, start.y),
                                                                             ImVec2(start.x + kLabelWidth + lane_width, start.y + total_height));
  double visible = ui.fitted() ? frames : ui.visible_frames;
  Lanes lanes{ImGui::GetWindowDrawList(), ImVec2(start.x + kLabelWidth, start.y), lane_width,
              static_cast<float>(lane_width / visible), ui.left};
  handle_zoom_and_pan(ui, lanes, frames, area_hovered);
  visible = ui.fitted() ? frames : ui.visible_frames;
  lanes.frame_width = static_cast<float>(lane_width / visible);
  lanes.left = ui.left;

  ImDrawList* draw = lanes.draw;
  // Lane content is clipped to the lane area, so zoomed-out-of-view boxes never cover the labels.
  draw->PushClipRect(ImVec2(lanes.origin.x, start.y), ImVec2(lanes.origin.x + lane_width, start.y + total_height), true);
  draw_ruler(lanes, frames, total_height);
  draw_raw_events(lanes, clip.log, state.view.evaluations.empty() ? &state.view.gt_only : &state.view.evaluations.front(), frames);
  draw_holds(lanes, state.view.holds, clip.log);
  float gt_lanes_top = lanes.origin.y + lanes.y;
  draw_gt_lanes(lanes, state, frames, requests);
  draw_source_lanes(lanes, state, frames, gt_lanes_top);

  // Playhead: the grid frame's column, and a line at the shown frame's exact time.
  double shown_position = state.grid_frame;
  if (state.view.native_source_frame >= 0 && state.view.video &&
      static_cast<size_t>(state.view.native_source_frame) < state.view.video->index.frames.size()) {
    const SourceFrame& native = state.view.video->index.frames[static_cast<size_t>(state.view.native_source_frame)];
    shown_position = static_cast<double>(native.pts_us - state.view.video->index.container_start_us) / 1e6 * kGridFps;
  }
  draw->AddRectFilled(ImVec2(lanes.x_of(state.grid_frame - 0.5), start.y), ImVec2(lanes.x_of(state.grid_frame + 0.5), start.y + lanes.y),
                      IM_COL32(255, 255, 255, 28));
  float x = lanes.x_of(shown_position);
  draw->AddLine(ImVec2(x, start.y), ImVec2(x, start.y + lanes.y), IM_COL32(255, 255, 255, 200), 2.0f);
  draw->PopClipRect();

  // Zoom indicator and fit hint.
  if (!ui.fitted()) {
    char zoom[96];
    std::snprintf(zoom, sizeof zoom, "F%04.1f..F%04.1f  (double-click the ruler to fit)", ui.left + 0.5, ui.left + ui.visible_frames - 0.5);
    // Right-aligned under the lanes: the legend strip takes the left of that line.
    draw->AddText(ImVec2(start.x + available.x - ImGui::CalcTextSize(zoom).x - 6, start.y + lanes.y + 4), IM_COL32(150, 150, 160, 255), zoom);
  }

  // A left click or drag on the lanes scrubs; zoomed in far enough, it goes between grid frames.
  ImGui::SetCursorScreenPos(ImVec2(lanes.origin.x, start.y));
  ImGui::InvisibleButton("timeline", ImVec2(lane_width, std::max(1.0f, lanes.y)));
  if (ImGui::IsItemHovered() && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left) && ImGui::GetMousePos().y < start.y + kLaneHeight) {
    ui = TimelineUi{};
  } else if (ImGui::IsItemActive() && ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
    double position = lanes.position_at(ImGui::GetMousePos().x);
    int grid = std::clamp(static_cast<int>(std::lround(position)), 0, frames - 1);
    const ClipVideo* video = state.view.video.get();
    if (video && lanes.frame_width >= kNativeScrubFrameWidth && video->grid.length() > grid) {
      int native = source_frame_at(*video, position);
      if (native != video->grid.source_frame_index[static_cast<size_t>(grid)]) requests.native_frame = native;
      else requests.seek_frame = grid;
    } else {
      requests.seek_frame = grid;
    }
  }
  ImGui::SetCursorScreenPos(ImVec2(start.x, start.y + lanes.y + 4));
}

}  // namespace idm::gui
