// The RSV timeline: native 16 fps frames on the ruler, one action lane per member (40 blocks
// of 9 frames coloured by class with a glyph), step ticks, collision marks, the A | pad | A^-1
// brackets of an inverse (hovering a step highlights its mirror), the endpoint frames flagged,
// a lane marking where a pair's actions differ, and a pair's PSNR(A, B) per frame.
#include <algorithm>
#include <cmath>

#include "rsv/structure.hpp"
#include "rsv_panels.hpp"

namespace idm::gui {

namespace {

constexpr float kLaneHeight = 26.0f;
constexpr float kLabelWidth = 70.0f;

std::string pose_text(const rsv::Vec3& p) {
  char text[64];
  std::snprintf(text, sizeof text, "(%.1f, %.1f, %.1f)", p.x, p.y, p.z);
  return text;
}

// The mirror of step `step` in A || pad || A^-1 (or A || A^-1 || pad): -1 when none.
int mirror_step(const rsv::InverseStructure& structure, int step) {
  if (!structure.matches || structure.k <= 0) return -1;
  int inverse_start = structure.padding == "between" ? structure.k + structure.pad_steps : structure.k;
  if (step < structure.k) return inverse_start + structure.k - 1 - step;
  if (step >= inverse_start && step < inverse_start + structure.k) return structure.k - 1 - (step - inverse_start);
  return -1;
}

}  // namespace

ImU32 rsv_action_colour(const std::string& action) {
  if (action.starts_with("move_")) return IM_COL32(70, 130, 200, 255);   // translation
  if (action.starts_with("turn_")) return IM_COL32(220, 140, 50, 255);   // turn
  if (action.starts_with("look_")) return IM_COL32(150, 90, 200, 255);   // look
  if (action == "no_op") return IM_COL32(90, 90, 90, 255);
  return IM_COL32(200, 40, 40, 255);  // not in the vocabulary
}

const char* rsv_action_glyph(const std::string& action) {
  if (action == "move_forward") return "^";
  if (action == "move_backward") return "v";
  if (action == "move_left") return "<";
  if (action == "move_right") return ">";
  if (action == "turn_left") return "(";
  if (action == "turn_right") return ")";
  if (action == "look_up") return "U";
  if (action == "look_down") return "D";
  if (action == "no_op") return ".";
  return "?";
}

void draw_rsv_timeline(const AppState& state, RsvUi& ui, CommandQueue& commands) {
  const RsvState& rsv = state.rsv;
  const rsv::LoadedItem* loaded = rsv.current_item();
  int frames = rsv.frame_count();
  if (!loaded || frames <= 0) {
    ImGui::TextDisabled("no frames");
    return;
  }
  int per_step = rsv.frames_per_step();
  bool pair = loaded->members.size() == 2;
  ImDrawList* draw = ImGui::GetWindowDrawList();
  ImVec2 origin = ImGui::GetCursorScreenPos();
  float width = ImGui::GetContentRegionAvail().x - kLabelWidth - 8;
  if (width < 100) return;
  float left = origin.x + kLabelWidth;
  auto x_of = [&](double frame) { return left + static_cast<float>(frame / frames) * width; };
  int lanes = static_cast<int>(loaded->members.size()) + (pair ? 1 : 0);
  float bracket_height = 16.0f, ruler_height = 22.0f;
  float total_height = bracket_height + ruler_height + lanes * (kLaneHeight + 4) + (pair ? 70.0f : 0.0f);
  ImGui::InvisibleButton("rsv_timeline", ImVec2(kLabelWidth + width, total_height));
  bool hovered = ImGui::IsItemHovered();
  ImVec2 mouse = ImGui::GetIO().MousePos;
  int hovered_frame = hovered && mouse.x >= left ? std::clamp(static_cast<int>((mouse.x - left) / width * frames), 0, frames - 1) : -1;
  if (ImGui::IsItemActive() && hovered_frame >= 0 && hovered_frame != rsv.frame) commands.push_back(cmd::RsvSeek{hovered_frame});
  ui.hovered_step = hovered_frame >= 0 && mouse.y > origin.y + bracket_height + ruler_height ? hovered_frame / per_step : -1;

  // Brackets A | pad | A^-1 (from the first member's actions).
  rsv::InverseStructure structure;
  if (loaded->relation == "inverse" && !loaded->members.empty()) structure = rsv::inverse_structure(loaded->members.front().meta.actions);
  float y = origin.y;
  if (structure.matches) {
    auto bracket = [&](int from_step, int steps, const char* label, ImU32 colour) {
      if (steps <= 0) return;
      float x0 = x_of(from_step * per_step) + 1, x1 = x_of((from_step + steps) * per_step) - 1;
      draw->AddLine(ImVec2(x0, y + bracket_height - 3), ImVec2(x1, y + bracket_height - 3), colour, 2.0f);
      draw->AddLine(ImVec2(x0, y + bracket_height - 3), ImVec2(x0, y + bracket_height + 2), colour, 2.0f);
      draw->AddLine(ImVec2(x1, y + bracket_height - 3), ImVec2(x1, y + bracket_height + 2), colour, 2.0f);
      draw->AddText(ImVec2((x0 + x1) / 2 - 10, y - 2), colour, label);
    };
    int inverse_start = structure.padding == "between" ? structure.k + structure.pad_steps : structure.k;
    int pad_start = structure.padding == "between" ? structure.k : 2 * structure.k;
    bracket(0, structure.k, "A", IM_COL32(120, 200, 255, 255));
    bracket(pad_start, structure.pad_steps, "pad", IM_COL32(160, 160, 160, 255));
    bracket(inverse_start, structure.k, "A^-1", IM_COL32(255, 170, 90, 255));
  }
  y += bracket_height;
  // Ruler: step ticks, a label every 5 steps, endpoint frames flagged.
  draw->AddRectFilled(ImVec2(left, y), ImVec2(left + width, y + ruler_height), IM_COL32(30, 32, 36, 255));
  for (int step = 0; step * per_step <= frames; ++step) {
    float x = x_of(step * per_step);
    bool major = step % 5 == 0;
    draw->AddLine(ImVec2(x, y + (major ? 4 : 12)), ImVec2(x, y + ruler_height), IM_COL32(140, 140, 140, 255));
    if (major && step * per_step < frames) draw->AddText(ImVec2(x + 2, y), IM_COL32(170, 170, 170, 255), std::to_string(step * per_step).c_str());
  }
  auto endpoints = rsv_endpoint_frames(rsv, rsv.item);
  for (size_t e = 0; e < endpoints.size(); ++e) {
    float x = x_of(endpoints[e].second + 0.5);
    ImVec2 a(x, y + ruler_height), b(x - 6, y + ruler_height - 10), c(x + 6, y + ruler_height - 10);
    draw->AddTriangleFilled(a, b, c, IM_COL32(255, 220, 60, 255));
    draw->AddText(ImVec2(x + 7, y + ruler_height - 16), IM_COL32(255, 220, 60, 255), e == 0 ? "S" : "E");
  }
  draw->AddText(ImVec2(origin.x, y + 3), IM_COL32(170, 170, 170, 255), "frame");
  y += ruler_height + 2;
  // One lane per member.
  int mirror = ui.hovered_step >= 0 ? mirror_step(structure, ui.hovered_step) : -1;
  for (size_t m = 0; m < loaded->members.size(); ++m) {
    const rsv::RsvMeta& meta = loaded->members[m].meta;
    draw->AddText(ImVec2(origin.x, y + 5), IM_COL32(200, 200, 200, 255), pair ? (m == 0 ? "A" : "B") : "actions");
    for (size_t k = 0; k < meta.actions.size(); ++k) {
      float x0 = x_of(static_cast<double>(k) * per_step) + 1, x1 = x_of(static_cast<double>(k + 1) * per_step) - 1;
      const std::string& action = meta.actions[k];
      draw->AddRectFilled(ImVec2(x0, y), ImVec2(x1, y + kLaneHeight), rsv_action_colour(action), 2.0f);
      if (static_cast<int>(k) == ui.hovered_step || static_cast<int>(k) == mirror) draw->AddRect(ImVec2(x0 - 1, y - 1), ImVec2(x1 + 1, y + kLaneHeight + 1), IM_COL32(255, 255, 255, 255), 2.0f, 0, 2.0f);
      if (x1 - x0 > 8) draw->AddText(ImVec2((x0 + x1) / 2 - 3, y + 5), IM_COL32(255, 255, 255, 255), rsv_action_glyph(action));
      bool collision = (k < meta.collision_mask.size() && meta.collision_mask[k]) || (k < meta.steps.size() && meta.steps[k].collision);
      if (collision) draw->AddTriangleFilled(ImVec2(x0, y), ImVec2(x0 + 8, y), ImVec2(x0, y + 8), IM_COL32(255, 40, 40, 255));
    }
    // Hover: the step's start, expected and actual end pose, and the deviation.
    if (hovered && mouse.y >= y && mouse.y < y + kLaneHeight && ui.hovered_step >= 0 && ui.hovered_step < static_cast<int>(meta.steps.size())) {
      const rsv::StepRecord& step = meta.steps[static_cast<size_t>(ui.hovered_step)];
      double deviation = rsv::distance_cm(step.actual_end.position_cm, step.expected_end_pos);
      ImGui::SetTooltip("step %d: %s%s\nstart    %s  yaw %.1f  pitch %.1f\nexpected %s\nactual   %s  yaw %.1f  pitch %.1f\ndeviation %.2f cm%s%s",
                        step.step, step.action.c_str(), step.collision ? "  (collision)" : "", pose_text(step.start.position_cm).c_str(),
                        step.start.rotation_deg.y, step.start.rotation_deg.x, pose_text(step.expected_end_pos).c_str(),
                        pose_text(step.actual_end.position_cm).c_str(), step.actual_end.rotation_deg.y, step.actual_end.rotation_deg.x, deviation,
                        deviation > rsv::kStepToleranceCm ? "  > 1 cm" : "", mirror >= 0 ? ("\nmirror: step " + std::to_string(mirror)).c_str() : "");
    }
    y += kLaneHeight + 4;
  }
  // A pair: where the actions differ, and PSNR(A, B) per frame.
  if (pair) {
    const rsv::RsvMeta& a = loaded->members[0].meta;
    const rsv::RsvMeta& b = loaded->members[1].meta;
    draw->AddText(ImVec2(origin.x, y + 5), IM_COL32(200, 200, 200, 255), "A != B");
    for (size_t k = 0; k < std::min(a.actions.size(), b.actions.size()); ++k) {
      if (a.actions[k] == b.actions[k]) continue;
      float x0 = x_of(static_cast<double>(k) * per_step) + 1, x1 = x_of(static_cast<double>(k + 1) * per_step) - 1;
      draw->AddRectFilled(ImVec2(x0, y + 6), ImVec2(x1, y + kLaneHeight - 6), IM_COL32(230, 70, 70, 255));
    }
    y += kLaneHeight + 4;
    float plot_top = y + 4, plot_bottom = y + 64;
    draw->AddRectFilled(ImVec2(left, plot_top), ImVec2(left + width, plot_bottom), IM_COL32(28, 30, 34, 255));
    constexpr double kTopDb = 60.0;  // inf and above are drawn at the top
    draw->AddText(ImVec2(origin.x, plot_top), IM_COL32(200, 200, 200, 255), "PSNR A,B");
    draw->AddText(ImVec2(origin.x, plot_bottom - 16), IM_COL32(140, 140, 140, 255), "0..60 dB");
    if (rsv.curve_item == (loaded->item ? loaded->item->key : "") && !rsv.curve_psnr_db.empty()) {
      std::vector<ImVec2> points;
      for (size_t f = 0; f < rsv.curve_psnr_db.size(); ++f) {
        double value = std::isinf(rsv.curve_psnr_db[f]) ? kTopDb : std::clamp(rsv.curve_psnr_db[f], 0.0, kTopDb);
        points.emplace_back(x_of(static_cast<double>(f) + 0.5), plot_bottom - static_cast<float>(value / kTopDb) * (plot_bottom - plot_top));
      }
      draw->AddPolyline(points.data(), static_cast<int>(points.size()), IM_COL32(120, 230, 140, 255), 0, 1.5f);
      float threshold_y = plot_bottom - static_cast<float>(rsv.psnr_min_db / kTopDb) * (plot_bottom - plot_top);
      draw->AddLine(ImVec2(left, threshold_y), ImVec2(left + width, threshold_y), IM_COL32(255, 220, 60, 120));
      if (hovered_frame >= 0 && hovered_frame < static_cast<int>(rsv.curve_psnr_db.size()) && mouse.y >= plot_top) {
        ImGui::SetTooltip("frame %d: PSNR(A, B) %.2f dB", hovered_frame, rsv.curve_psnr_db[static_cast<size_t>(hovered_frame)]);
      }
    } else {
      draw->AddText(ImVec2(left + 8, plot_top + 8), IM_COL32(150, 150, 150, 255),
                    !rsv.curve_error.empty() && rsv.curve_item == (loaded->item ? loaded->item->key : "") ? rsv.curve_error.c_str() : "computing ...");
    }
  }
  // Playhead.
  float playhead = x_of(rsv.frame + 0.5);
  draw->AddLine(ImVec2(playhead, origin.y + bracket_height), ImVec2(playhead, origin.y + total_height), IM_COL32(255, 255, 255, 230), 2.0f);
}

}  // namespace idm::gui
