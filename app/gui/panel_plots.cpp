// The plots panel, drawn on ImDrawList: per-frame dx and dy of GT against each source, the
// predicted-vs-GT scatter with fitted lines and R², the tolerance sweep, and the confusion list
// of the most common wrong details. Each has axes, hover values and a legend.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

#include "analysis/clip_motion.hpp"
#include "analysis/confusion.hpp"
#include "analysis_ui.hpp"
#include "overlay.hpp"
#include "plot.hpp"

namespace idm::gui {

namespace {

std::string format(const char* pattern, double a, double b = 0, double c = 0) {
  char text[160];
  std::snprintf(text, sizeof text, pattern, a, b, c);
  return text;
}

// One component (0 = dx, 1 = dy) of GT and each source, per grid frame of the current clip.
void frame_plot(const AppState& state, int component, ImVec2 size) {
  const DatasetClip& clip = state.dataset.clips[static_cast<size_t>(state.view.clip)];
  if (!clip.loaded) return;
  std::vector<analysis::ClipMotion> series;
  std::vector<std::pair<std::string, ImU32>> legend = {{"GT", gt_colour()}};
  series.push_back(analysis::gt_motion(clip.log, clip_width(clip), clip_height(clip), state.profile.fps));
  for (size_t s = 0; s < state.sources.size(); ++s) {
    auto it = state.sources[s].predictions.by_clip.find(clip.key);
    series.push_back(it != state.sources[s].predictions.by_clip.end() ? analysis::predicted_motion(it->second) : analysis::ClipMotion{});
    legend.push_back({state.sources[s].predictions.name, source_colour(s)});
  }
  double extent = 10;
  for (const auto& motion : series) {
    for (const auto& v : motion.moves) extent = std::max(extent, std::fabs(component == 0 ? v.dx : v.dy));
  }
  extent *= 1.1;
  const char* name = component == 0 ? "dx (0-1000) per frame" : "dy (0-1000) per frame";
  Plot plot(component == 0 ? "##dx_plot" : "##dy_plot", size, -0.5, state.grid_length() - 0.5, -extent, extent, "grid frame", name);
  ImDrawList* draw = plot.draw();
  draw->AddLine(plot.at(state.grid_frame, -extent), plot.at(state.grid_frame, extent), IM_COL32(255, 255, 255, 60), 6.0f);
  draw->AddLine(plot.at(-0.5, 0), plot.at(state.grid_length() - 0.5, 0), IM_COL32(150, 150, 160, 255));
  for (size_t i = 0; i < series.size(); ++i) {
    ImU32 colour = i == 0 ? gt_colour() : source_colour(i - 1);
    const std::string& label = legend[i].first;
    const analysis::FrameVector* previous = nullptr;
    for (const analysis::FrameVector& v : series[i].moves) {
      double value = component == 0 ? v.dx : v.dy;
      ImVec2 point = plot.at(v.frame, value);
      if (previous && previous->frame == v.frame - 1) draw->AddLine(plot.at(previous->frame, component == 0 ? previous->dx : previous->dy), point, colour, 1.5f);
      draw->AddCircleFilled(point, 3.0f, colour);
      plot.hover_candidate(point, label + " F" + std::to_string(v.frame) + (component == 0 ? "  dx = " : "  dy = ") + format("%.1f", value));
      previous = &v;
    }
  }
  plot.finish(legend);
}

void scatter_plot(const AppState& state, const AnalysisUi& ui, ImVec2 size) {
  struct Series {
    std::vector<std::pair<double, double>> points;  // (gt, predicted), both components pooled
    std::optional<double> r2;
  };
  std::vector<Series> series(state.sources.size());
  double extent = 10;
  for (size_t s = 0; s < state.sources.size(); ++s) {
    const DatasetScore& score = state.sources[s].score;
    MouseFrameSet frames;
    if (ui.scatter_whole_dataset) {
      for (const auto& clip : score.clips) frames.append(clip.evaluation.mouse_frames);
      series[s].r2 = score.mouse.r2;
    } else if (state.view.clip >= 0 && static_cast<size_t>(state.view.clip) < score.clips.size()) {
      frames = score.clips[static_cast<size_t>(state.view.clip)].evaluation.mouse_frames;
      series[s].r2 = score.clips[static_cast<size_t>(state.view.clip)].evaluation.mouse.r2;
    }
    for (const MouseFrame& frame : frames.frames) {
      // §8: a missing vector counts as zero on its side.
      double px = frame.has_prediction ? frame.pred_x : 0, py = frame.has_prediction ? frame.pred_y : 0;
      series[s].points.push_back({static_cast<double>(frame.gt_x), px});
      series[s].points.push_back({static_cast<double>(frame.gt_y), py});
      extent = std::max({extent, std::fabs(static_cast<double>(frame.gt_x)), std::fabs(static_cast<double>(frame.gt_y)), std::fabs(px), std::fabs(py)});
    }
  }
  extent *= 1.05;
  Plot plot("##scatter", size, -extent, extent, -extent, extent, "GT component (dx and dy, 0-1000)", "predicted vs GT");
  ImDrawList* draw = plot.draw();
  draw->AddLine(plot.at(-extent, -extent), plot.at(extent, extent), IM_COL32(255, 255, 255, 70), 1.0f);  // y = x
  std::vector<std::pair<std::string, ImU32>> legend;
  for (size_t s = 0; s < series.size(); ++s) {
    ImU32 colour = source_colour(s);
    for (const auto& [gt, predicted] : series[s].points) {
      ImVec2 point = plot.at(gt, predicted);
      draw->AddCircleFilled(point, 2.5f, source_colour(s, 170));
      plot.hover_candidate(point, state.sources[s].predictions.name + format(": GT %.0f  predicted %.1f", gt, predicted));
    }
    // Least-squares fit predicted = a + b * gt.
    double n = static_cast<double>(series[s].points.size()), sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (const auto& [x, y] : series[s].points) sx += x, sy += y, sxx += x * x, sxy += x * y;
    std::string fit = "";
    if (n >= 2 && n * sxx - sx * sx > 0) {
      double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx), intercept = (sy - slope * sx) / n;
      draw->AddLine(plot.at(-extent, intercept - slope * extent), plot.at(extent, intercept + slope * extent), colour, 2.0f);
      fit = format("  fit %.2fx%+.1f", slope, intercept);
    }
    std::string r2 = series[s].r2 ? format("  R2 %.3f", *series[s].r2) : std::string("  R2 null");
    legend.push_back({state.sources[s].predictions.name + r2 + fit, colour});
  }
  legend.push_back({"y = x", IM_COL32(255, 255, 255, 120)});
  plot.finish(legend);
}

void draw_marker(ImDrawList* draw, ImVec2 at, int type, ImU32 colour) {
  switch (type) {
    case 0: draw->AddCircleFilled(at, 4, colour); break;
    case 1: draw->AddRectFilled(ImVec2(at.x - 4, at.y - 4), ImVec2(at.x + 4, at.y + 4), colour); break;
    case 2: draw->AddTriangleFilled(ImVec2(at.x, at.y - 5), ImVec2(at.x - 5, at.y + 4), ImVec2(at.x + 5, at.y + 4), colour); break;
    default: draw->AddQuadFilled(ImVec2(at.x, at.y - 5), ImVec2(at.x + 5, at.y), ImVec2(at.x, at.y + 5), ImVec2(at.x - 5, at.y), colour); break;
  }
}

void sweep_plot(const AppState& state, ImVec2 size, CommandQueue& commands) {
  // Scoring the dataset 11 times per source: a derived value, computed in a task when asked.
  bool stale = state.sweep_key() != state.sweeps.key;
  if (stale) commands.push_back(cmd::WantSweep{});
  Plot plot("##sweep", size, -0.3, 10.3, 0, 1.02, "tolerance (frames)", stale ? "F1 vs tolerance (updating...)" : "F1 vs tolerance");
  ImDrawList* draw = plot.draw();
  static const char* marker_names[] = {"circle", "square", "triangle", "diamond"};
  std::vector<std::pair<std::string, ImU32>> legend;
  // Old curves are kept while a new sweep runs, but only under the sources they belong to.
  const DerivedSweeps& sweeps = state.sweeps;
  bool same_sources = sweeps.sources.size() == state.sources.size();
  for (size_t s = 0; same_sources && s < state.sources.size(); ++s) same_sources = sweeps.sources[s] == state.sources[s].predictions.path.string();
  for (size_t s = 0; same_sources && s < sweeps.curves.size(); ++s) {
    legend.push_back({state.sources[s].predictions.name, source_colour(s)});
    for (int type = 0; type < kActionTypeCount; ++type) {
      if (!state.profile.scored[static_cast<size_t>(type)]) continue;
      ImVec2 previous;
      for (size_t i = 0; i < sweeps.curves[s].size(); ++i) {
        const analysis::SweepPoint& point = sweeps.curves[s][i];
        ImVec2 at = plot.at(point.tolerance_frames, point.f1[static_cast<size_t>(type)]);
        if (i > 0) draw->AddLine(previous, at, source_colour(s, 200), 1.5f);
        draw_marker(draw, at, type, source_colour(s));
        plot.hover_candidate(at, state.sources[s].predictions.name + " " + action_type_name(static_cast<ActionType>(type)) +
                                     format(": tolerance %.0f  F1 %.4f", point.tolerance_frames, point.f1[static_cast<size_t>(type)]));
        previous = at;
      }
    }
  }
  for (int type = 0; type < kActionTypeCount; ++type) {
    if (state.profile.scored[static_cast<size_t>(type)]) legend.push_back({std::string(action_type_name(static_cast<ActionType>(type))) + ": " + marker_names[type], IM_COL32(150, 150, 150, 255)});
  }
  plot.finish(legend);
}

void confusion_plot(const AppState& state, AnalysisUi& ui, ImVec2 size) {
  ui.confusion_source = std::clamp(ui.confusion_source, 0, static_cast<int>(state.sources.size()) - 1);
  const Source& source = state.sources[static_cast<size_t>(ui.confusion_source)];
  // Pairing every clip's FNs with FPs: cached until the source's score changes.
  const ScoreKey& scored = source.scored_for;
  std::string key = std::to_string(ui.confusion_source) + "|" + std::to_string(scored.dataset) + "|" + std::to_string(scored.side_files) + "|" +
                    std::to_string(scored.profile) + "|" + std::to_string(scored.source);
  if (key != ui.confusion_key) {
    ui.confusions = analysis::confusion_list(source.score);
    if (ui.confusions.size() > 12) ui.confusions.resize(12);
    ui.confusion_key = key;
  }
  const std::vector<analysis::Confusion>& list = ui.confusions;
  int most = list.empty() ? 1 : list.front().count;
  // Bars: one per (GT detail -> predicted detail); labels are drawn inside the plot area.
  Plot plot("##confusion", size, 0, most * 1.15 + 0.5, 0, std::max<double>(list.size(), 4), "count (FN paired with a nearby FP of the same type)",
            ("most common wrong details: " + source.predictions.name).c_str());
  ImDrawList* draw = plot.draw();
  for (size_t i = 0; i < list.size(); ++i) {
    double top = static_cast<double>(list.size() - i), bottom = top - 0.8;
    ImVec2 a = plot.at(0, top), b = plot.at(list[i].count, bottom);
    draw->AddRectFilled(a, b, source_colour(static_cast<size_t>(ui.confusion_source), 150));
    std::string text = std::string(action_type_name(list[i].type)) + "  " + list[i].gt_detail + "  ->  " +
                       (list[i].predicted_detail.empty() ? "\"\"" : list[i].predicted_detail) + "   x" + std::to_string(list[i].count);
    draw->AddText(ImVec2(a.x + 4, a.y + 1), IM_COL32(255, 255, 255, 255), text.c_str());
    plot.hover_candidate(ImVec2(b.x, (a.y + b.y) / 2), "GT " + list[i].gt_detail + " predicted as " + list[i].predicted_detail + ": " + std::to_string(list[i].count) + " times");
    plot.hover_candidate(ImVec2(a.x + 4, (a.y + b.y) / 2), "GT " + list[i].gt_detail + " predicted as " + list[i].predicted_detail + ": " + std::to_string(list[i].count) + " times");
  }
  if (list.empty()) draw->AddText(plot.at(0.2, 2), IM_COL32(200, 200, 200, 255), "no FN has a nearby FP of its type: no wrong details");
  plot.finish({{source.predictions.name, source_colour(static_cast<size_t>(ui.confusion_source))}});
}

}  // namespace

void draw_plots_panel(const AppState& state, AnalysisUi& ui, CommandQueue& commands) {
  if (state.view.clip < 0 || state.sources.empty()) {
    ImGui::TextDisabled("open a dataset and add prediction sources to see the plots");
    return;
  }
  ImGui::Checkbox("scatter: whole dataset", &ui.scatter_whole_dataset);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(160);
  if (ImGui::BeginCombo("confusions of", state.sources[static_cast<size_t>(std::clamp(ui.confusion_source, 0, static_cast<int>(state.sources.size()) - 1))].predictions.name.c_str())) {
    for (size_t s = 0; s < state.sources.size(); ++s) {
      if (ImGui::Selectable(state.sources[s].predictions.name.c_str(), static_cast<int>(s) == ui.confusion_source)) ui.confusion_source = static_cast<int>(s);
    }
    ImGui::EndCombo();
  }
  ImVec2 available = ImGui::GetContentRegionAvail();
  // Plots keep a readable height; the panel scrolls when it is shorter than two rows.
  float cell_width = std::max(320.0f, (available.x - 12) / 2), cell_height = std::max(320.0f, (available.y - 12) / 2);
  ImVec2 origin = ImGui::GetCursorScreenPos();
  frame_plot(state, 0, ImVec2(cell_width, cell_height / 2 - 2));
  ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + cell_height / 2 + 2));
  frame_plot(state, 1, ImVec2(cell_width, cell_height / 2 - 2));
  ImGui::SetCursorScreenPos(ImVec2(origin.x + cell_width + 12, origin.y));
  scatter_plot(state, ui, ImVec2(cell_width, cell_height));
  ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + cell_height + 12));
  sweep_plot(state, ImVec2(cell_width, cell_height), commands);
  ImGui::SetCursorScreenPos(ImVec2(origin.x + cell_width + 12, origin.y + cell_height + 12));
  confusion_plot(state, ui, ImVec2(cell_width, cell_height));
  ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + 2 * cell_height + 12));
  ImGui::Dummy(ImVec2(1, 4));  // extends the scroll region below the last row
}

}  // namespace idm::gui
