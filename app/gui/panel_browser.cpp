// The clip browser: one row per clip with tag, GT count, labelled/total and F1 per source.
#include <imgui.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <string_view>
#include <string>

#include "gt/overrides.hpp"
#include "panels.hpp"

namespace idm::gui {

namespace {

// Case-insensitive substring match.
bool matches(const std::string& text, const char* filter) {
  if (!filter[0]) return true;
  auto lower = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
  std::string_view needle(filter);
  auto found = std::search(text.begin(), text.end(), needle.begin(), needle.end(), [&](char a, char b) { return lower(a) == lower(b); });
  return found != text.end();
}

// A combo of the dataset's tags (with clip counts); "" is every tag.
void draw_tag_filter(const AppState& state, BrowserUi& ui) {
  std::map<std::string, int> tags;
  for (const DatasetClip& clip : state.dataset.clips) ++tags[clip.log.tag];
  ImGui::SetNextItemWidth(170);
  if (ImGui::BeginCombo("##tag", ui.tag.empty() ? "all tags" : ui.tag.c_str())) {
    if (ImGui::Selectable("all tags", ui.tag.empty())) ui.tag.clear();
    for (const auto& [tag, count] : tags) {
      std::string label = (tag.empty() ? "(no tag)" : tag) + " (" + std::to_string(count) + ")##" + tag;
      if (ImGui::Selectable(label.c_str(), ui.tag == tag && !ui.tag.empty())) ui.tag = tag;
    }
    ImGui::EndCombo();
  }
}

}  // namespace

namespace {

// The F1 of clip i under source s (-1 when the clip could not be read).
double clip_f1(const AppState& state, size_t source, size_t clip) {
  const auto& score = state.sources[source].score.clips[clip];
  return score.error.empty() ? precision_recall_f1(score.evaluation.total).f1 : -1.0;
}

size_t labelled_count(const AppState& state, const DatasetClip& clip) {
  size_t labelled = 0;
  if (auto it = state.dataset.annotations.clips.find(clip.key); it != state.dataset.annotations.clips.end()) {
    for (const auto& entry : it->second.entries) labelled += entry.value.has_value();
  }
  return labelled;
}

// Sorts `order` by the table's sort spec (column 0 clip, 1 tag, 2 GT, 3 labels, 4+ F1 per source).
void sort_rows(const AppState& state, const ImGuiTableSortSpecs* specs, std::vector<int>& order) {
  if (!specs || specs->SpecsCount == 0) return;
  const ImGuiTableColumnSortSpecs& spec = specs->Specs[0];
  auto key_less = [&](int a, int b) {
    const DatasetClip& x = state.dataset.clips[static_cast<size_t>(a)];
    const DatasetClip& y = state.dataset.clips[static_cast<size_t>(b)];
    switch (spec.ColumnIndex) {
      case 0: return x.key < y.key;
      case 1: return x.log.tag < y.log.tag;
      case 2: return x.canonical_gt.size() < y.canonical_gt.size();
      case 3: return labelled_count(state, x) < labelled_count(state, y);
      default: {
        size_t source = static_cast<size_t>(spec.ColumnIndex - 4);
        return clip_f1(state, source, static_cast<size_t>(a)) < clip_f1(state, source, static_cast<size_t>(b));
      }
    }
  };
  bool descending = spec.SortDirection == ImGuiSortDirection_Descending;
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return descending ? key_less(b, a) : key_less(a, b); });
}

}  // namespace

void draw_browser(const AppState& state, BrowserUi& ui, PanelRequests& requests) {
  ImGui::TextUnformatted(state.dataset_path.empty() ? "(no dataset)" : state.dataset_path.c_str());
  draw_tag_filter(state, ui);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-1);
  ImGui::InputTextWithHint("##filter", "filter by clip or tag", ui.filter, sizeof ui.filter);
  int columns = 4 + static_cast<int>(state.sources.size());
  ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_Resizable |
                          ImGuiTableFlags_Sortable;
  if (!ImGui::BeginTable("clips", columns, flags)) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("clip", ImGuiTableColumnFlags_WidthStretch | ImGuiTableColumnFlags_DefaultSort);
  ImGui::TableSetupColumn("tag", ImGuiTableColumnFlags_WidthFixed, 100);
  ImGui::TableSetupColumn("GT", ImGuiTableColumnFlags_WidthFixed, 30);
  ImGui::TableSetupColumn("labels", ImGuiTableColumnFlags_WidthFixed, 50);
  for (const Source& source : state.sources) ImGui::TableSetupColumn(("F1 " + source.predictions.name).c_str(), ImGuiTableColumnFlags_WidthFixed, 56);
  ImGui::TableHeadersRow();

  ui.order.clear();
  for (size_t i = 0; i < state.dataset.clips.size(); ++i) {
    const DatasetClip& clip = state.dataset.clips[i];
    if (!ui.tag.empty() && clip.log.tag != ui.tag) continue;
    if (matches(clip.key, ui.filter) || matches(clip.log.tag, ui.filter)) ui.order.push_back(static_cast<int>(i));
  }
  sort_rows(state, ImGui::TableGetSortSpecs(), ui.order);

  for (int index : ui.order) {
    size_t i = static_cast<size_t>(index);
    const DatasetClip& clip = state.dataset.clips[i];
    std::string name = std::filesystem::path(clip.key).filename().string();
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    bool selected = index == state.view.clip;
    if (ImGui::Selectable(name.c_str(), selected, ImGuiSelectableFlags_SpanAllColumns)) requests.select_clip = index;
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
    ImGui::Text("%zu/%zu", labelled_count(state, clip), clip.canonical_gt.size());
    for (size_t s = 0; s < state.sources.size(); ++s) {
      ImGui::TableNextColumn();
      double f1 = clip_f1(state, s, i);
      if (f1 >= 0) ImGui::Text("%.3f", f1);
    }
  }
  ImGui::EndTable();
}

}  // namespace idm::gui
