#include "plot.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace idm::gui {

namespace {
constexpr float kLeftMargin = 52, kBottomMargin = 36, kTopMargin = 8, kRightMargin = 10;
constexpr float kHoverReachPx = 8;
}  // namespace

double nice_step(double range, int target) {
  if (!(range > 0)) return 1;
  double raw = range / std::max(target, 1);
  double power = std::pow(10.0, std::floor(std::log10(raw)));
  for (double factor : {1.0, 2.0, 5.0, 10.0}) {
    if (factor * power >= raw) return factor * power;
  }
  return 10 * power;
}

Plot::Plot(const char* id, ImVec2 size, double x_min, double x_max, double y_min, double y_max, const char* x_label, const char* y_label)
    : draw_(ImGui::GetWindowDrawList()), x_min_(x_min), x_max_(x_max > x_min ? x_max : x_min + 1), y_min_(y_min),
      y_max_(y_max > y_min ? y_max : y_min + 1) {
  ImVec2 origin = ImGui::GetCursorScreenPos();
  size.x = std::max(size.x, 120.0f);
  size.y = std::max(size.y, 90.0f);
  ImGui::InvisibleButton(id, size);
  hovered_ = ImGui::IsItemHovered();
  inner_min_ = ImVec2(origin.x + kLeftMargin, origin.y + kTopMargin);
  inner_max_ = ImVec2(origin.x + size.x - kRightMargin, origin.y + size.y - kBottomMargin);
  draw_->AddRectFilled(inner_min_, inner_max_, IM_COL32(22, 22, 28, 255));
  ImU32 grid = IM_COL32(60, 60, 72, 255), text = IM_COL32(185, 185, 195, 255);
  char label[32];
  double x_step = nice_step(x_max_ - x_min_, 6), y_step = nice_step(y_max_ - y_min_, 5);
  for (double x = std::ceil(x_min_ / x_step) * x_step; x <= x_max_ + 1e-9; x += x_step) {
    ImVec2 p = at(x, y_min_);
    draw_->AddLine(ImVec2(p.x, inner_min_.y), ImVec2(p.x, inner_max_.y), grid);
    std::snprintf(label, sizeof label, "%g", std::fabs(x) < 1e-12 ? 0.0 : x);
    draw_->AddText(ImVec2(p.x - ImGui::CalcTextSize(label).x / 2, inner_max_.y + 2), text, label);
  }
  for (double y = std::ceil(y_min_ / y_step) * y_step; y <= y_max_ + 1e-9; y += y_step) {
    ImVec2 p = at(x_min_, y);
    draw_->AddLine(ImVec2(inner_min_.x, p.y), ImVec2(inner_max_.x, p.y), grid);
    std::snprintf(label, sizeof label, "%g", std::fabs(y) < 1e-12 ? 0.0 : y);
    draw_->AddText(ImVec2(inner_min_.x - 4 - ImGui::CalcTextSize(label).x, p.y - 7), text, label);
  }
  draw_->AddRect(inner_min_, inner_max_, IM_COL32(120, 120, 135, 255));
  ImVec2 x_size = ImGui::CalcTextSize(x_label);
  draw_->AddText(ImVec2((inner_min_.x + inner_max_.x - x_size.x) / 2, inner_max_.y + 17), text, x_label);
  draw_->AddText(ImVec2(origin.x, origin.y), IM_COL32(220, 220, 120, 255), y_label);
  draw_->PushClipRect(inner_min_, inner_max_, true);
}

ImVec2 Plot::at(double x, double y) const {
  double u = (x - x_min_) / (x_max_ - x_min_), v = (y - y_min_) / (y_max_ - y_min_);
  return ImVec2(inner_min_.x + static_cast<float>(u) * (inner_max_.x - inner_min_.x), inner_max_.y - static_cast<float>(v) * (inner_max_.y - inner_min_.y));
}

void Plot::hover_candidate(ImVec2 screen, const std::string& text) {
  if (!hovered_) return;
  ImVec2 mouse = ImGui::GetMousePos();
  float distance = std::hypot(mouse.x - screen.x, mouse.y - screen.y);
  if (distance > kHoverReachPx || (!hover_text_.empty() && distance >= best_distance_)) return;
  best_distance_ = distance;
  hover_text_ = text;
}

void Plot::finish(const std::vector<std::pair<std::string, ImU32>>& legend) {
  draw_->PopClipRect();
  float width = 0, line = ImGui::GetTextLineHeight();
  for (const auto& [name, colour] : legend) width = std::max(width, ImGui::CalcTextSize(name.c_str()).x);
  if (!legend.empty()) {
    ImVec2 top_left(inner_max_.x - width - 30, inner_min_.y + 4);
    draw_->AddRectFilled(top_left, ImVec2(inner_max_.x - 4, top_left.y + line * legend.size() + 6), IM_COL32(0, 0, 0, 170), 3);
    for (size_t i = 0; i < legend.size(); ++i) {
      float y = top_left.y + 3 + line * static_cast<float>(i);
      draw_->AddRectFilled(ImVec2(top_left.x + 5, y + 4), ImVec2(top_left.x + 17, y + line - 4), legend[i].second);
      draw_->AddText(ImVec2(top_left.x + 22, y), IM_COL32(230, 230, 230, 255), legend[i].first.c_str());
    }
  }
  if (!hover_text_.empty()) {
    ImGui::BeginTooltip();
    ImGui::TextUnformatted(hover_text_.c_str());
    ImGui::EndTooltip();
  }
}

}  // namespace idm::gui
