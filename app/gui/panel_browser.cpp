// The clip browser: one row per clip with tag, GT count, labelled/total and F1 per source.
#include <imgui.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <optional>
#include <string_view>
#include <string>

#include "analysis/triage.hpp"
#include "gt/overrides.hpp"
#include "panels.hpp"

namespace idm::gui {

namespace {

// Until the background fill has read a clip's log, its tag and GT count come from the index's
// summary (empty and -1 when the index had none).
const std::string& clip_tag(const DatasetClip& clip) {
  static const std::string none;
  if (clip.loaded) return clip.log.tag;
  return clip.summary ? clip.summary->tag : none;
}
long gt_count(const DatasetClip& clip) {
  if (clip.loaded) return static_cast<long>(clip.canonical_gt.size());
  return clip.summary ? clip.summary->gt_total() : -1;
}

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
  for (const DatasetClip& clip : state.dataset.clips) ++tags[clip_tag(clip)];
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

// The F1 of clip i under source s (-1 when the clip could not be read, or the source's first
// score is still being computed).
double clip_f1(const AppState& state, size_t source, size_t clip) {
  const auto& clips = state.sources[source].score.clips;
  if (clip >= clips.size()) return -1.0;
  const auto& score = clips[clip];
  return score.error.empty() ? precision_recall_f1(score.evaluation.total).f1 : -1.0;
}

// Labelled / total over the GT that is scored (after overrides), as the editor counts it.
// Before the clip's log is read: known from the summary's GT count when no override changes
// the GT (labels then index the canonical actions); else nullopt.
std::optional<std::pair<size_t, size_t>> label_progress(const AppState& state, const DatasetClip& clip) {
  auto overrides = state.dataset.overrides.clips.find(clip.key);
  if (!clip.loaded) {
    if (!clip.summary || overrides != state.dataset.overrides.clips.end()) return std::nullopt;
    size_t count = static_cast<size_t>(clip.summary->gt_total());
    auto labels = state.dataset.annotations.clips.find(clip.key);
    ResolvedLabels resolved = resolve_labels(labels == state.dataset.annotations.clips.end() ? nullptr : &labels->second, count);
    size_t labelled = 0;
    for (size_t index = 0; index < count && index < resolved.by_label_index.size(); ++index) labelled += resolved.by_label_index[index].has_value();
    return std::pair<size_t, size_t>{labelled, count};
  }
  OverriddenGt gt = apply_overrides(clip.canonical_gt, overrides == state.dataset.overrides.clips.end() ? nullptr : &overrides->second);
  auto labels = state.dataset.annotations.clips.find(clip.key);
  ResolvedLabels resolved = resolve_labels(labels == state.dataset.annotations.clips.end() ? nullptr : &labels->second,
                                           gt.canonical_count + gt.addition_count);
  size_t labelled = 0;
  for (const ScoredGtItem& item : gt.items) {
    size_t index = static_cast<size_t>(item.label_index);
    labelled += index < resolved.by_label_index.size() && resolved.by_label_index[index].has_value();
  }
  return std::pair<size_t, size_t>{labelled, gt.items.size()};
}
long labelled_count(const AppState& state, const DatasetClip& clip) {
  auto progress = label_progress(state, clip);
  return progress ? static_cast<long>(progress->first) : -1;
}

// A metric column: a source's F1 over every scored type (type < 0) or one type's F1.
struct MetricColumn {
  size_t source = 0;
  int type = -1;
};

std::vector<MetricColumn> metric_columns(const AppState& state, const BrowserUi& ui) {
  std::vector<MetricColumn> columns;
  for (size_t s = 0; s < state.sources.size(); ++s) {
    columns.push_back({s, -1});
    if (!ui.per_type_columns) continue;
    for (int type = 0; type < kActionTypeCount; ++type) {
      if (state.profile.scored[static_cast<size_t>(type)]) columns.push_back({s, type});
    }
  }
  return columns;
}

// -1 when the clip could not be read or (per type) has no items of the type.
double column_value(const AppState& state, const MetricColumn& column, size_t clip) {
  if (column.type < 0) return clip_f1(state, column.source, clip);
  auto f1 = analysis::clip_type_f1(state.sources[column.source].score, static_cast<int>(clip), static_cast<ActionType>(column.type));
  return f1 ? *f1 : -1.0;
}

const char* short_type_name(int type) {
  static const char* names[] = {"Key", "Click", "Scroll", "Move"};
  return names[type];
}

// Sorts `order` by the table's sort spec (column 0 clip, 1 tag, 2 GT, 3 labels, 4+ metric columns).
void sort_rows(const AppState& state, const std::vector<MetricColumn>& columns, const ImGuiTableSortSpecs* specs, std::vector<int>& order) {
  if (!specs || specs->SpecsCount == 0) return;
  const ImGuiTableColumnSortSpecs& spec = specs->Specs[0];
  auto key_less = [&](int a, int b) {
    const DatasetClip& x = state.dataset.clips[static_cast<size_t>(a)];
    const DatasetClip& y = state.dataset.clips[static_cast<size_t>(b)];
    switch (spec.ColumnIndex) {
      case 0: return x.key < y.key;
      case 1: return clip_tag(x) < clip_tag(y);
      case 2: return gt_count(x) < gt_count(y);
      case 3: return labelled_count(state, x) < labelled_count(state, y);
      default: {
        const MetricColumn& column = columns[static_cast<size_t>(spec.ColumnIndex - 4)];
        return column_value(state, column, static_cast<size_t>(a)) < column_value(state, column, static_cast<size_t>(b));
      }
    }
  };
  bool descending = spec.SortDirection == ImGuiSortDirection_Descending;
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return descending ? key_less(b, a) : key_less(a, b); });
}

void set_mark(BrowserUi& ui, int clip_index, bool on) {
  auto at = std::lower_bound(ui.marked.begin(), ui.marked.end(), clip_index);
  bool present = at != ui.marked.end() && *at == clip_index;
  if (on && !present) ui.marked.insert(at, clip_index);
  if (!on && present) ui.marked.erase(at);
}

// Ctrl+click toggles one clip, Shift+click marks the shown range from the anchor; the first
// such click also marks the clip on screen, as file managers do.
void click_with_modifiers(const AppState& state, BrowserUi& ui, int clicked, bool ctrl, bool shift) {
  if (ui.marked.empty() && state.view.clip >= 0) {
    set_mark(ui, state.view.clip, true);
    if (ui.mark_anchor < 0) ui.mark_anchor = state.view.clip;
  }
  if (shift) {
    auto from = std::find(ui.order.begin(), ui.order.end(), ui.mark_anchor >= 0 ? ui.mark_anchor : clicked);
    auto to = std::find(ui.order.begin(), ui.order.end(), clicked);
    if (from == ui.order.end()) from = to;
    if (from > to) std::swap(from, to);
    for (auto it = from; it != ui.order.end() && it <= to; ++it) set_mark(ui, *it, true);
  } else if (ctrl) {
    set_mark(ui, clicked, !is_marked(ui, clicked));
    ui.mark_anchor = clicked;
  }
}

void draw_row_menu(const AppState& state, BrowserUi& ui, int index, PanelRequests& requests) {
  if (!ImGui::BeginPopupContextItem("row_menu")) return;
  const std::string name = std::filesystem::path(state.dataset.clips[static_cast<size_t>(index)].key).filename().string();
  if (ImGui::MenuItem(("Run the model on " + name).c_str())) requests.run_model_on = {index};
  std::vector<int> marked = marked_in_order(ui);
  std::string label = "Run the model on the " + std::to_string(marked.size()) + " marked clip" + (marked.size() == 1 ? "" : "s");
  if (ImGui::MenuItem(label.c_str(), nullptr, false, !marked.empty())) requests.run_model_on = marked;
  ImGui::Separator();
  if (ImGui::MenuItem(is_marked(ui, index) ? "Unmark" : "Mark", "Ctrl+click")) set_mark(ui, index, !is_marked(ui, index));
  if (ImGui::MenuItem("Mark every shown clip")) {
    for (int shown : ui.order) set_mark(ui, shown, true);
  }
  if (ImGui::MenuItem("Clear the marks", nullptr, false, !ui.marked.empty())) ui.marked.clear();
  ImGui::EndPopup();
}

}  // namespace

bool is_marked(const BrowserUi& ui, int clip_index) { return std::binary_search(ui.marked.begin(), ui.marked.end(), clip_index); }

std::vector<int> marked_in_order(const BrowserUi& ui) {
  std::vector<int> result;
  for (int index : ui.order) {
    if (is_marked(ui, index)) result.push_back(index);
  }
  for (int index : ui.marked) {
    if (std::find(ui.order.begin(), ui.order.end(), index) == ui.order.end()) result.push_back(index);
  }
  return result;
}

void draw_browser(const AppState& state, BrowserUi& ui, PanelRequests& requests) {
  ImGui::TextUnformatted(state.dataset_path.empty() ? "(no dataset)" : state.dataset_path.c_str());
  draw_tag_filter(state, ui);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-1);
  ImGui::InputTextWithHint("##filter", "filter by clip or tag", ui.filter, sizeof ui.filter);
  ImGui::Checkbox("per type", &ui.per_type_columns);
  ImGui::SameLine();
  ImGui::Checkbox("has FN", &ui.only_with_fn);
  ImGui::SameLine();
  ImGui::Checkbox("F1 <", &ui.only_f1_below);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-1);
  ImGui::SliderFloat("##f1_threshold", &ui.f1_threshold, 0.0f, 1.0f, "%.2f");
  std::vector<MetricColumn> metric = metric_columns(state, ui);
  int columns = 4 + static_cast<int>(metric.size());
  ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_Resizable |
                          ImGuiTableFlags_Sortable;
  if (!ImGui::BeginTable("clips", columns, flags)) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("clip", ImGuiTableColumnFlags_WidthStretch | ImGuiTableColumnFlags_DefaultSort);
  ImGui::TableSetupColumn("tag", ImGuiTableColumnFlags_WidthFixed, 100);
  ImGui::TableSetupColumn("GT", ImGuiTableColumnFlags_WidthFixed, 30);
  ImGui::TableSetupColumn("labels", ImGuiTableColumnFlags_WidthFixed, 50);
  for (const MetricColumn& column : metric) {
    std::string name = column.type < 0 ? "F1 " + state.sources[column.source].predictions.name
                                       : std::string(short_type_name(column.type)) + " " + state.sources[column.source].predictions.name;
    ImGui::TableSetupColumn(name.c_str(), ImGuiTableColumnFlags_WidthFixed, 56);
  }
  ImGui::TableHeadersRow();

  if (ui.marks_dataset != state.dataset_path) {  // indices mean other clips in another dataset
    ui.marked.clear();
    ui.mark_anchor = -1;
    ui.marks_dataset = state.dataset_path;
  }
  ui.order.clear();
  for (size_t i = 0; i < state.dataset.clips.size(); ++i) {
    const DatasetClip& clip = state.dataset.clips[i];
    if (!ui.tag.empty() && clip_tag(clip) != ui.tag) continue;
    if (!matches(clip.key, ui.filter) && !matches(clip_tag(clip), ui.filter)) continue;
    bool has_fn = false, below = false;
    for (size_t s = 0; s < state.sources.size(); ++s) {
      has_fn = has_fn || analysis::clip_has_fn(state.sources[s].score, static_cast<int>(i));
      double f1 = clip_f1(state, s, i);
      below = below || (f1 >= 0 && f1 < ui.f1_threshold);
    }
    if ((ui.only_with_fn && !has_fn) || (ui.only_f1_below && !below)) continue;
    ui.order.push_back(static_cast<int>(i));
  }
  sort_rows(state, metric, ImGui::TableGetSortSpecs(), ui.order);

  for (int index : ui.order) {
    size_t i = static_cast<size_t>(index);
    const DatasetClip& clip = state.dataset.clips[i];
    std::string name = std::filesystem::path(clip.key).filename().string();
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    bool selected = index == state.view.clip;
    bool marked = is_marked(ui, index);
    ImGui::PushID(index);
    if (marked && !selected) ImGui::PushStyleColor(ImGuiCol_Header, ImVec4(0.30f, 0.42f, 0.25f, 0.75f));
    std::string label = (marked ? "+ " : "") + name;
    if (ImGui::Selectable(label.c_str(), selected || marked, ImGuiSelectableFlags_SpanAllColumns)) {
      const ImGuiIO& io = ImGui::GetIO();
      if (io.KeyCtrl || io.KeyShift) {
        click_with_modifiers(state, ui, index, io.KeyCtrl, io.KeyShift);
      } else {
        ui.marked.clear();
        ui.mark_anchor = index;
        requests.select_clip = index;
      }
    }
    if (marked && !selected) ImGui::PopStyleColor();
    draw_row_menu(state, ui, index, requests);
    ImGui::PopID();
    if (selected && ImGui::IsWindowAppearing()) ImGui::SetScrollHereY();
    if (clip.filled && !clip.loaded) {
      ImGui::TableNextColumn();
      ImGui::TextColored(ImVec4(1, 0.4f, 0.4f, 1), "broken");
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", clip.error.c_str());
      continue;
    }
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(clip_tag(clip).c_str());
    ImGui::TableNextColumn();
    if (long count = gt_count(clip); count >= 0) ImGui::Text("%ld", count);
    else ImGui::TextDisabled("...");
    ImGui::TableNextColumn();
    if (auto progress = label_progress(state, clip)) ImGui::Text("%zu/%zu", progress->first, progress->second);
    else ImGui::TextDisabled("...");
    for (const MetricColumn& column : metric) {
      ImGui::TableNextColumn();
      const PredictionSet& predictions = state.sources[column.source].predictions;
      if (auto excluded = predictions.excluded.find(clip.key); excluded != predictions.excluded.end()) {
        ImGui::TextDisabled("left out");
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s: not scored", excluded->second.c_str());
        continue;
      }
      double f1 = column_value(state, column, i);
      if (f1 < 0) continue;
      // Low scores stand out: red below the threshold.
      if (f1 < ui.f1_threshold) ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1), "%.3f", f1);
      else ImGui::Text("%.3f", f1);
      if (auto bad = predictions.bad_answers.find(clip.key); bad != predictions.bad_answers.end()) {
        ImGui::SameLine(0, 3);
        ImGui::TextColored(ImVec4(1.0f, 0.7f, 0.2f, 1), "!");
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%d model answer(s) empty or without a JSON array, scored as []", bad->second);
      }
    }
  }
  ImGui::EndTable();
}

}  // namespace idm::gui
