// The timeline: a ruler of grid frames, the raw events at their µs time, GT lanes per type,
// and per prediction source a GT-outcome lane and a prediction lane joined where matched.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "gt/frame_rule.hpp"
#include "editor.hpp"
#include "panels.hpp"

namespace idm::gui {

namespace {

constexpr float kLabelWidth = 150.0f;
constexpr float kLaneHeight = 22.0f;
constexpr double kGridFps = 5.0;

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

const char* label_letter(const std::optional<Visibility>& label) {
  if (!label) return "";
  switch (*label) {
    case Visibility::Visible: return "V";
    case Visibility::Inferable: return "I";
    case Visibility::Ambiguous: return "A";
    case Visibility::NotPredictable: return "N";
  }
  return "";
}

struct Lanes {
  ImDrawList* draw;
  ImVec2 origin;      // top-left of the lane area (right of the labels)
  float frame_width;  // pixels per grid frame
  int frames;
  float y = 0;        // top of the next lane, relative to origin
  float x_of(double grid_position) const { return origin.x + static_cast<float>((grid_position + 0.5) * frame_width); }
  void label(const char* text) const {
    draw->AddText(ImVec2(origin.x - kLabelWidth + 6, origin.y + y + 3), IM_COL32(200, 200, 210, 255), text);
  }
};

// A box in a frame column; returns its rectangle for hovering and pair lines.
ImVec4 frame_box(Lanes& lanes, int frame, int slot, int slots, ImU32 colour, const std::string& text) {
  float left = lanes.x_of(frame - 0.5) + 1;
  float width = lanes.frame_width - 2;
  float height = (kLaneHeight - 4) / static_cast<float>(std::max(slots, 1));
  float top = lanes.origin.y + lanes.y + 2 + height * static_cast<float>(slot);
  ImVec2 a(left, top), b(left + width, top + height - 1);
  lanes.draw->AddRectFilled(a, b, colour, 2.0f);
  if (width > 24 && height >= 12) {
    lanes.draw->PushClipRect(a, b, true);
    lanes.draw->AddText(ImVec2(a.x + 2, a.y), IM_COL32(15, 15, 15, 255), text.c_str());
    lanes.draw->PopClipRect();
  }
  return ImVec4(a.x, a.y, b.x, b.y);
}

bool hovered(const ImVec4& box) {
  ImVec2 mouse = ImGui::GetMousePos();
  return mouse.x >= box.x && mouse.x <= box.z && mouse.y >= box.y && mouse.y <= box.w;
}

}  // namespace

void draw_timeline(const AppState& state, PanelRequests& requests) {
  if (state.view.clip < 0) return;
  const DatasetClip& clip = state.dataset.clips[static_cast<size_t>(state.view.clip)];
  ImVec2 start = ImGui::GetCursorScreenPos();
  ImVec2 available = ImGui::GetContentRegionAvail();
  int frames = state.grid_length();
  Lanes lanes{ImGui::GetWindowDrawList(), ImVec2(start.x + kLabelWidth, start.y), (available.x - kLabelWidth - 8) / static_cast<float>(frames),
              frames};
  ImDrawList* draw = lanes.draw;
  float total_height = kLaneHeight * static_cast<float>(2 + 4 + 2 * state.sources.size()) + 8;

  // Ruler.
  lanes.label("frame");
  for (int f = 0; f < frames; ++f) {
    float x = lanes.x_of(f - 0.5);
    draw->AddLine(ImVec2(x, start.y), ImVec2(x, start.y + total_height), IM_COL32(60, 60, 70, 255));
    if (lanes.frame_width >= 26 || f % 5 == 0) {
      char text[16];
      std::snprintf(text, sizeof text, "F%02d", f);
      draw->AddText(ImVec2(x + 3, start.y + 3), IM_COL32(170, 170, 180, 255), text);
    }
  }
  lanes.y += kLaneHeight;

  // Raw events at their microsecond time; near-boundary events get a mark.
  lanes.label("raw events");
  for (const RawEvent& event : clip.log.events) {
    double grid_position = (event.ts_us - clip.log.start_s * 1e6) / 1e6 * kGridFps;
    if (grid_position < -0.5 || grid_position > frames - 0.5) continue;
    float x = lanes.x_of(grid_position);
    ImU32 colour = event.kind == EventKind::MouseMove ? IM_COL32(90, 120, 200, 160)
                   : event.kind == EventKind::KeyPress || event.kind == EventKind::KeyRelease ? IM_COL32(230, 210, 90, 255)
                                                                                               : IM_COL32(200, 120, 220, 255);
    draw->AddLine(ImVec2(x, start.y + lanes.y + 3), ImVec2(x, start.y + lanes.y + kLaneHeight - 3), colour);
    double from_boundary = std::fabs(grid_position - std::floor(grid_position) - 0.5) / kGridFps * 1e6;
    if (event.kind != EventKind::MouseMove && from_boundary < 5000) draw->AddCircleFilled(ImVec2(x, start.y + lanes.y + 3), 3, IM_COL32(255, 80, 80, 255));
  }
  lanes.y += kLaneHeight;

  // GT lanes per type, coloured by the first source's outcome (plain GT colour without one).
  bool have_source = !state.view.evaluations.empty();
  const ClipEvaluation* first = have_source ? &state.view.evaluations.front() : &state.view.gt_only;
  const ActionType types[] = {ActionType::KeyPress, ActionType::MouseClick, ActionType::MouseScroll, ActionType::MouseMove};
  for (ActionType type : types) {
    lanes.label((std::string("GT ") + action_type_name(type)).c_str());
    if (first) {
      for (const GtOutcome& gt : first->gt) {
        if (gt.item.action.type != type || gt.item.action.frame >= frames) continue;
        std::string text = gt.item.action.detail;
        if (gt.label) text = std::string(label_letter(gt.label)) + " " + text;
        ImU32 colour = have_source || gt.outcome == Outcome::OutsideWindow || gt.outcome == Outcome::NotScored
                           ? outcome_colour(gt.outcome)
                           : IM_COL32(90, 150, 230, 255);
        ImVec4 box = frame_box(lanes, gt.item.action.frame, 0, 1, colour, text);
        draw_gt_badge(draw, box, gt, state, requests);  // issue 7: label badge, provenance, selection
        if (hovered(box)) {
          ImGui::SetTooltip("%s %s at F%02d\nGT index %d%s\n%s", action_type_name(type), gt.item.action.detail.c_str(), gt.item.action.frame,
                            gt.item.label_index, gt.label ? (std::string("\nlabel ") + visibility_name(*gt.label)).c_str() : "",
                            outcome_name(gt.outcome));
        }
      }
    }
    lanes.y += kLaneHeight;
  }

  // Per source: predictions, joined to their GT frame when matched.
  for (size_t s = 0; s < state.view.evaluations.size(); ++s) {
    const ClipEvaluation& evaluation = state.view.evaluations[s];
    lanes.label((state.sources[s].predictions.name + " preds").c_str());
    float lane_top = lanes.y;
    for (const PredictionOutcome& prediction : evaluation.predictions) {
      if (prediction.action.frame >= frames) continue;
      ImVec4 box = frame_box(lanes, prediction.action.frame, static_cast<int>(prediction.action.type) % 2, 2,
                             outcome_colour(prediction.outcome), prediction.action.detail);
      if (prediction.matched_gt >= 0) {
        const Action& gt = evaluation.gt[static_cast<size_t>(prediction.matched_gt)].item.action;
        draw->AddLine(ImVec2((box.x + box.z) / 2, box.y), ImVec2(lanes.x_of(gt.frame), start.y + kLaneHeight * 2 + 2),
                      IM_COL32(70, 185, 95, 120));
      }
      if (hovered(box)) {
        ImGui::SetTooltip("%s %s at F%02d\n%s", action_type_name(prediction.action.type), prediction.action.detail.c_str(),
                          prediction.action.frame, outcome_name(prediction.outcome));
      }
    }
    lanes.y = lane_top + kLaneHeight;
    Prf prf = precision_recall_f1(evaluation.total);
    char summary[160];
    std::snprintf(summary, sizeof summary, "TP %lld  FP %lld  FN %lld  F1 %.3f", static_cast<long long>(evaluation.total.tp),
                  static_cast<long long>(evaluation.total.fp), static_cast<long long>(evaluation.total.fn), prf.f1);
    lanes.label(summary);
    lanes.y += kLaneHeight;
  }

  // Playhead.
  float x = lanes.x_of(state.grid_frame);
  draw->AddRectFilled(ImVec2(lanes.x_of(state.grid_frame - 0.5), start.y), ImVec2(lanes.x_of(state.grid_frame + 0.5), start.y + lanes.y),
                      IM_COL32(255, 255, 255, 28));
  draw->AddLine(ImVec2(x, start.y), ImVec2(x, start.y + lanes.y), IM_COL32(255, 255, 255, 200), 2.0f);

  // A click or drag on the lanes scrubs.
  ImGui::SetCursorScreenPos(ImVec2(lanes.origin.x, start.y));
  ImGui::InvisibleButton("timeline", ImVec2(std::max(1.0f, available.x - kLabelWidth), std::max(1.0f, lanes.y)));
  if (ImGui::IsItemActive()) {
    float mouse = ImGui::GetMousePos().x;
    requests.seek_frame = std::clamp(static_cast<int>(std::floor((mouse - lanes.origin.x) / lanes.frame_width)), 0, frames - 1);
  }
}

}  // namespace idm::gui
