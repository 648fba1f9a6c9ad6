#pragma once
// A small plotting kit on ImDrawList (ImPlot is not packaged): a framed area with axes, ticks
// and labels, data -> screen mapping, a legend, and the hover value of the nearest point.
#include <imgui.h>

#include <string>
#include <utility>
#include <vector>

namespace idm::gui {

class Plot {
 public:
  // Reserves `size` at the cursor and draws the frame, grid, ticks and axis labels.
  Plot(const char* id, ImVec2 size, double x_min, double x_max, double y_min, double y_max, const char* x_label, const char* y_label);
  ImVec2 at(double x, double y) const;
  ImDrawList* draw() const { return draw_; }
  ImVec2 inner_min() const { return inner_min_; }
  ImVec2 inner_max() const { return inner_max_; }
  // Offers a hover candidate: the nearest one to the mouse (within a few pixels) gets a tooltip.
  void hover_candidate(ImVec2 screen, const std::string& text);
  // Draws the legend (top-right, inside) and the tooltip; call last.
  void finish(const std::vector<std::pair<std::string, ImU32>>& legend);

 private:
  ImDrawList* draw_;
  ImVec2 inner_min_, inner_max_;
  double x_min_, x_max_, y_min_, y_max_;
  bool hovered_ = false;
  float best_distance_ = 0;
  std::string hover_text_;
};

// Round tick steps: 1, 2 or 5 times a power of ten, about `target` ticks over the range.
double nice_step(double range, int target);

}  // namespace idm::gui
