// The metrics panel: profile selector, per-type tolerance sliders, per-type P/R/F1 for the clip
// and the dataset for every source side by side, the mouse metrics, and an A-vs-B table. The
// numbers are AppState::metrics, derived from the sources' DatasetScores (the code behind
// `idmscope score --dataset`) whenever a score's inputs change; while a score is being
// recomputed the panel says so instead of showing old numbers.
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "analysis/metrics_view.hpp"
#include "analysis_ui.hpp"
#include "overlay.hpp"

namespace idm::gui {


void list_profiles(AnalysisUi& ui) {
  ui.profile_names.clear();
  std::error_code code;
  for (auto it = std::filesystem::directory_iterator(assets_dir() / "profiles", code); !code && it != std::filesystem::directory_iterator();
       it.increment(code)) {
    if (it->path().extension() == ".json") ui.profile_names.push_back(it->path().stem().string());
  }
  std::sort(ui.profile_names.begin(), ui.profile_names.end());
}

namespace {

void prf_cell(const Prf& prf, const Counts& counts) {
  // Nothing to score (no GT, no predictions of the type): n/a, as the browser shows, not 0.000.
  if (counts.tp + counts.fp + counts.fn == 0) {
    ImGui::TextDisabled("n/a");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("no GT and no predictions of this type (neutral %lld)", static_cast<long long>(counts.neutral));
    return;
  }
  ImGui::Text("%.3f", prf.f1);
  if (ImGui::IsItemHovered()) {
    ImGui::SetTooltip("P %.4f  R %.4f  F1 %.4f\nTP %lld  FP %lld  FN %lld  neutral %lld", prf.precision, prf.recall, prf.f1,
                      static_cast<long long>(counts.tp), static_cast<long long>(counts.fp), static_cast<long long>(counts.fn),
                      static_cast<long long>(counts.neutral));
  }
  ImGui::SameLine();
  ImGui::TextDisabled("%.2f/%.2f", prf.precision, prf.recall);
}

void optional_cell(const std::optional<double>& value) {
  if (value) ImGui::Text("%.4f", *value);
  else ImGui::TextDisabled("null");
}

void event_table(const std::vector<analysis::SourceMetrics>& metrics, const AppState& state) {
  std::vector<ActionType> types;
  for (int type = 0; type < kActionTypeCount; ++type) {
    if (state.profile.scored[static_cast<size_t>(type)]) types.push_back(static_cast<ActionType>(type));
  }
  if (!ImGui::BeginTable("event_metrics", 2 + static_cast<int>(types.size()) + 1, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) return;
  ImGui::TableSetupColumn("source", ImGuiTableColumnFlags_WidthFixed, 110);
  ImGui::TableSetupColumn("scope", ImGuiTableColumnFlags_WidthFixed, 60);
  for (ActionType type : types) ImGui::TableSetupColumn((std::string(action_type_name(type)) + " F1 P/R").c_str());
  ImGui::TableSetupColumn("all F1 P/R");
  ImGui::TableHeadersRow();
  for (size_t s = 0; s < metrics.size(); ++s) {
    for (int scope = 0; scope < 2; ++scope) {
      const analysis::ScopeMetrics* values = scope == 0 ? (metrics[s].clip ? &*metrics[s].clip : nullptr) : &metrics[s].dataset;
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      if (scope == 0) ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(source_colour(s)), "%s", metrics[s].source.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(scope == 0 ? "clip" : "dataset");
      if (!values) continue;
      for (const analysis::TypeMetrics& type : values->types) {
        ImGui::TableNextColumn();
        prf_cell(type.prf, type.counts);
      }
      ImGui::TableNextColumn();
      prf_cell(values->total_prf, values->total);
    }
  }
  ImGui::EndTable();
}

void mouse_table(const std::vector<analysis::SourceMetrics>& metrics) {
  if (!ImGui::BeginTable("mouse_metrics", 8, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) return;
  for (const char* name : {"source", "scope", "frames", "frame F1", "R2", "cosine", "L2 (bins)", "DirAcc"}) ImGui::TableSetupColumn(name);
  ImGui::TableHeadersRow();
  for (size_t s = 0; s < metrics.size(); ++s) {
    for (int scope = 0; scope < 2; ++scope) {
      const analysis::ScopeMetrics* values = scope == 0 ? (metrics[s].clip ? &*metrics[s].clip : nullptr) : &metrics[s].dataset;
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      if (scope == 0) ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(source_colour(s)), "%s", metrics[s].source.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(scope == 0 ? "clip" : "dataset");
      if (!values) continue;
      ImGui::TableNextColumn();
      ImGui::Text("%lld", static_cast<long long>(values->mouse.frames));
      for (const auto* value : {&values->mouse.frame_f1, &values->mouse.r2, &values->mouse.cosine, &values->mouse.l2, &values->mouse.dir_acc}) {
        ImGui::TableNextColumn();
        optional_cell(*value);
      }
    }
  }
  ImGui::EndTable();
}

void compare_table(const std::vector<analysis::SourceMetrics>& metrics, AnalysisUi& ui) {
  if (metrics.size() < 2) {
    ImGui::TextDisabled("A vs B: load two prediction sources to compare them");
    return;
  }
  ui.compare_a = std::clamp(ui.compare_a, 0, static_cast<int>(metrics.size()) - 1);
  ui.compare_b = std::clamp(ui.compare_b, 0, static_cast<int>(metrics.size()) - 1);
  auto picker = [&](const char* label, int& index) {
    ImGui::SetNextItemWidth(160);
    if (ImGui::BeginCombo(label, metrics[static_cast<size_t>(index)].source.c_str())) {
      for (size_t s = 0; s < metrics.size(); ++s) {
        if (ImGui::Selectable(metrics[s].source.c_str(), static_cast<int>(s) == index)) index = static_cast<int>(s);
      }
      ImGui::EndCombo();
    }
  };
  ImGui::TextUnformatted("A vs B (dataset):");
  ImGui::SameLine();
  picker("A", ui.compare_a);
  ImGui::SameLine();
  picker("B", ui.compare_b);
  const auto& a = metrics[static_cast<size_t>(ui.compare_a)].dataset;
  const auto& b = metrics[static_cast<size_t>(ui.compare_b)].dataset;
  if (!ImGui::BeginTable("a_vs_b", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) return;
  for (const char* name : {"metric", "A", "B", "B - A"}) ImGui::TableSetupColumn(name);
  ImGui::TableHeadersRow();
  for (const analysis::MetricDelta& delta : analysis::a_vs_b(a, b)) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(delta.name.c_str());
    ImGui::TableNextColumn();
    optional_cell(delta.a);
    ImGui::TableNextColumn();
    optional_cell(delta.b);
    ImGui::TableNextColumn();
    if (auto value = delta.delta()) {
      bool lower_is_better = delta.name.find("L2") != std::string::npos;
      bool better = lower_is_better ? *value < 0 : *value > 0;
      ImVec4 colour = *value == 0 ? ImVec4(0.8f, 0.8f, 0.8f, 1) : better ? ImVec4(0.4f, 0.9f, 0.45f, 1) : ImVec4(1, 0.45f, 0.4f, 1);
      ImGui::TextColored(colour, "%+.4f", *value);
    } else {
      ImGui::TextDisabled("-");
    }
  }
  ImGui::EndTable();
}

}  // namespace

void draw_metrics_panel(const AppState& state, AnalysisUi& ui, CommandQueue& commands) {
  ImGui::SetNextItemWidth(160);
  if (ImGui::BeginCombo("profile", state.profile.name.c_str())) {
    for (const std::string& name : ui.profile_names) {
      if (ImGui::Selectable(name.c_str(), name == state.profile.name)) commands.push_back(cmd::SetProfile{name});
    }
    ImGui::EndCombo();
  }
  if (ImGui::IsItemHovered() && !state.profile.description.empty()) ImGui::SetTooltip("%s", state.profile.description.c_str());
  // Per-type tolerance sliders: they change the live profile (applied after the frame).
  ImGui::SameLine();
  ImGui::TextDisabled("tolerance (frames):");
  static const char* short_names[] = {"Key", "Click", "Scroll", "Move"};
  for (int type = 0; type < kActionTypeCount; ++type) {
    if (!state.profile.scored[static_cast<size_t>(type)]) continue;
    // The type's name before its slider (ImGui puts a label after it, where it reads as the
    // next slider's).
    ImGui::SameLine(0, 14);
    ImGui::TextUnformatted(short_names[type]);
    ImGui::SameLine(0, 4);
    int value = state.profile.tolerance_frames[static_cast<size_t>(type)];
    ImGui::SetNextItemWidth(90);
    std::string id = std::string("##tolerance_") + short_names[type];
    if (ImGui::SliderInt(id.c_str(), &value, 0, 10)) commands.push_back(cmd::SetTolerance{type, value});
  }
  if (state.sources.empty()) {
    ImGui::TextDisabled("add a prediction source (File > Add predictions) to see its metrics");
    return;
  }
  if (!state.metrics.current) {
    ImGui::Separator();
    ImGui::TextColored(ImVec4(0.95f, 0.75f, 0.3f, 1), "scoring the dataset under the current labels, overrides and profile ...");
    return;
  }
  const std::vector<analysis::SourceMetrics>& metrics = state.metrics.rows;
  ImGui::Separator();
  event_table(metrics, state);
  ImGui::Separator();
  mouse_table(metrics);
  ImGui::Separator();
  compare_table(metrics, ui);
}

}  // namespace idm::gui
