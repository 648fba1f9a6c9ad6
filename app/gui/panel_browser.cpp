// The clip browser: one row per clip with tag, GT count, labelled/total and F1 per source.
#include <imgui.h>

#include <cstdio>
#include <string>

#include "gt/overrides.hpp"
#include "panels.hpp"

namespace idm::gui {

namespace {

bool matches(const std::string& text, const char* filter) {
  if (!filter[0]) return true;
  return text.find(filter) != std::string::npos;
}

}  // namespace

void draw_browser(const AppState& state, BrowserUi& ui, PanelRequests& requests) {
  ImGui::TextUnformatted(state.dataset_path.empty() ? "(no dataset)" : state.dataset_path.c_str());
  ImGui::SetNextItemWidth(-1);
  ImGui::InputTextWithHint("##filter", "filter by clip or tag", ui.filter, sizeof ui.filter);
  int columns = 4 + static_cast<int>(state.sources.size());
  ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_Resizable;
  if (!ImGui::BeginTable("clips", columns, flags)) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("clip", ImGuiTableColumnFlags_WidthStretch);
  ImGui::TableSetupColumn("tag", ImGuiTableColumnFlags_WidthFixed, 100);
  ImGui::TableSetupColumn("GT", ImGuiTableColumnFlags_WidthFixed, 30);
  ImGui::TableSetupColumn("labels", ImGuiTableColumnFlags_WidthFixed, 50);
  for (const Source& source : state.sources) ImGui::TableSetupColumn(("F1 " + source.predictions.name).c_str(), ImGuiTableColumnFlags_WidthFixed, 56);
  ImGui::TableHeadersRow();
  for (size_t i = 0; i < state.dataset.clips.size(); ++i) {
    const DatasetClip& clip = state.dataset.clips[i];
    std::string name = std::filesystem::path(clip.key).filename().string();
    if (!matches(clip.key, ui.filter) && !matches(clip.log.tag, ui.filter)) continue;
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    bool selected = static_cast<int>(i) == state.view.clip;
    if (ImGui::Selectable(name.c_str(), selected, ImGuiSelectableFlags_SpanAllColumns)) requests.select_clip = static_cast<int>(i);
    if (selected && ImGui::IsWindowAppearing()) ImGui::SetScrollHereY();
    if (!clip.loaded) {
      ImGui::TableNextColumn();
      ImGui::TextColored(ImVec4(1, 0.4f, 0.4f, 1), "broken");
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", clip.error.c_str());
      continue;
    }
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(clip.log.tag.c_str());
    ImGui::TableNextColumn();
    ImGui::Text("%zu", clip.canonical_gt.size());
    ImGui::TableNextColumn();
    size_t labelled = 0;
    if (auto it = state.dataset.annotations.clips.find(clip.key); it != state.dataset.annotations.clips.end()) {
      for (const auto& entry : it->second.entries) labelled += entry.value.has_value();
    }
    ImGui::Text("%zu/%zu", labelled, clip.canonical_gt.size());
    for (const Source& source : state.sources) {
      ImGui::TableNextColumn();
      const auto& clip_score = source.score.clips[i];
      if (clip_score.error.empty()) ImGui::Text("%.3f", precision_recall_f1(clip_score.evaluation.total).f1);
    }
  }
  ImGui::EndTable();
}

}  // namespace idm::gui
