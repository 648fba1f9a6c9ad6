// The RSV browser: one row per trajectory or pair with the check's verdicts; filters by split,
// relation, failures and text; every column sorts.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "rsv_panels.hpp"

namespace idm::gui {

namespace {

struct Row {
  int item = -1;
  std::string key, split, relation, tier, ids, partner, partner_key, structure, collision, frames, problems;
  int errors = 0;
  int frames_decoded = 0, frames_declared = 0;
  std::optional<bool> layer1, layer2;
  double deviation_cm = -1.0, residual_cm = -1.0, psnr_db = -1.0;  // -1: not known
  bool failing() const { return errors > 0 || layer1 == false || layer2 == false; }
};

std::string tier_of(const std::string& split) {
  if (split.ends_with("_easy")) return "easy";
  if (split.ends_with("_hard")) return "hard";
  return "-";
}

std::string member_partner_key(const RsvRelease& release, const rsv::LoadedItem& loaded, const rsv::LoadedMember& member, int64_t tid) {
  for (const rsv::LoadedItem& other : release.items) {
    if (!other.item || !loaded.item || other.item->split != loaded.item->split) continue;
    for (const rsv::LoadedMember& candidate : other.members) {
      if (candidate.files.name.run == member.files.name.run && candidate.files.name.tid == tid) return candidate.files.key;
    }
  }
  return "";
}

Row make_row(const AppState& state, int index) {
  const RsvRelease& release = *state.rsv.release;
  const rsv::LoadedItem& loaded = release.items[static_cast<size_t>(index)];
  Row row;
  row.item = index;
  row.key = loaded.item ? loaded.item->key : "?";
  row.split = loaded.item ? loaded.item->split : "";
  row.relation = loaded.relation.empty() ? rsv::relation_of_split(row.split) : loaded.relation;
  row.tier = tier_of(row.split);
  int collisions = 0;
  for (const rsv::LoadedMember& member : loaded.members) {
    if (!row.ids.empty()) row.ids += " ";
    if (member.files.name.is_pair) row.ids += std::string(1, member.files.name.role) + ":";
    row.ids += std::to_string(member.files.name.tid);
    collisions += static_cast<int>(member.meta.collision_count);
    int decoded = member.video_ok ? member.video.frames : 0;
    if (!row.frames.empty()) row.frames += " ";
    row.frames += std::to_string(decoded) + "/" + std::to_string(member.meta.total_frames);
    row.frames_decoded += decoded;
    row.frames_declared += member.meta.total_frames;
  }
  if (!loaded.members.empty()) {
    row.ids = "run " + loaded.members.front().files.name.run + "  " + row.ids;
    const rsv::LoadedMember& first = loaded.members.front();
    if (first.meta.partner_trajectory_id) {
      row.partner = std::to_string(*first.meta.partner_trajectory_id);
      row.partner_key = member_partner_key(release, loaded, first, *first.meta.partner_trajectory_id);
    }
  }
  row.collision = collisions > 0 ? "yes (" + std::to_string(collisions) + ")" : "no";
  std::vector<const rsv::Diagnostic*> diagnostics;
  for (const rsv::Diagnostic& diagnostic : loaded.diagnostics) diagnostics.push_back(&diagnostic);
  const rsv::ItemResult* result = state.rsv.current_report() ? state.rsv.result(index) : nullptr;
  if (result) {
    diagnostics.clear();
    for (const rsv::Diagnostic& diagnostic : result->diagnostics) diagnostics.push_back(&diagnostic);
    row.structure = result->structure;
    row.layer1 = result->layer1.pass;
    row.layer2 = result->layer2.pass;
    if (result->layer1.pass) {
      row.deviation_cm = result->layer1.max_step_deviation_cm;
      row.residual_cm = result->layer1.closure_residual_cm;
    }
    if (result->layer2.psnr_db) row.psnr_db = *result->layer2.psnr_db;
  }
  for (const rsv::Diagnostic* diagnostic : diagnostics) {
    if (diagnostic->severity == rsv::Severity::Error) ++row.errors;
    if (diagnostic->severity != rsv::Severity::Note) row.problems += rsv::diagnostic_line(*diagnostic) + "\n";
  }
  return row;
}

bool shown(const Row& row, const RsvUi& ui, const std::vector<std::string>& splits) {
  if (ui.split > 0 && ui.split <= static_cast<int>(splits.size()) && row.split != splits[static_cast<size_t>(ui.split - 1)]) return false;
  static const char* kRelations[] = {"", "inverse", "loop", "equivalence"};
  if (ui.relation > 0 && row.relation != kRelations[ui.relation]) return false;
  if (ui.failures_only && !row.failing()) return false;
  if (ui.filter[0] && row.key.find(ui.filter) == std::string::npos && row.ids.find(ui.filter) == std::string::npos) return false;
  return true;
}

int compare_rows(const Row& a, const Row& b, int column) {
  auto cmp = [](const auto& x, const auto& y) { return x < y ? -1 : y < x ? 1 : 0; };
  auto verdict = [](const std::optional<bool>& v) { return v ? (*v ? 2 : 1) : 0; };
  switch (column) {
    case 0: return cmp(a.split, b.split);
    case 1: return cmp(a.relation, b.relation);
    case 2: return cmp(a.tier, b.tier);
    case 3: return cmp(a.key, b.key);
    case 4: return cmp(a.partner, b.partner);
    case 5: return cmp(a.structure, b.structure);
    case 6: return cmp(a.collision, b.collision);
    case 7: return cmp(a.frames_decoded, b.frames_decoded) != 0 ? cmp(a.frames_decoded, b.frames_decoded) : cmp(a.frames_declared, b.frames_declared);
    case 8: return verdict(a.layer1) != verdict(b.layer1) ? cmp(verdict(a.layer1), verdict(b.layer1)) : cmp(a.deviation_cm, b.deviation_cm);
    case 9: return cmp(a.residual_cm, b.residual_cm);
    case 10: return verdict(a.layer2) != verdict(b.layer2) ? cmp(verdict(a.layer2), verdict(b.layer2)) : cmp(a.psnr_db, b.psnr_db);
    case 11: return cmp(a.errors, b.errors);
  }
  return 0;
}

std::string number(double value, const char* format) {
  if (value < 0) return "-";
  if (std::isinf(value)) return "inf";
  char text[32];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

const char* verdict_text(const std::optional<bool>& verdict) { return !verdict ? "-" : *verdict ? "pass" : "FAIL"; }

}  // namespace

void draw_rsv_browser(const AppState& state, RsvUi& ui, CommandQueue& commands) {
  const RsvState& rsv = state.rsv;
  if (!rsv.release) {
    ImGui::TextDisabled(rsv.loading.empty() ? "no RSV release open" : "reading the release ...");
    return;
  }
  const std::vector<std::string>& splits = rsv.release->release.splits;
  ImGui::SetNextItemWidth(150);
  std::string split_label = ui.split == 0 ? "every split" : splits[static_cast<size_t>(ui.split - 1)];
  if (ImGui::BeginCombo("##split", split_label.c_str())) {
    if (ImGui::Selectable("every split", ui.split == 0)) ui.split = 0;
    for (size_t i = 0; i < splits.size(); ++i) {
      if (ImGui::Selectable(splits[i].c_str(), ui.split == static_cast<int>(i) + 1)) ui.split = static_cast<int>(i) + 1;
    }
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(120);
  ImGui::Combo("##relation", &ui.relation, "every relation\0inverse\0loop\0equivalence\0");
  ImGui::SameLine();
  ImGui::Checkbox("failures only", &ui.failures_only);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-1);
  ImGui::InputTextWithHint("##rsv_filter", "filter by key or id", ui.filter, sizeof ui.filter);

  std::vector<Row> rows;
  for (int i = 0; i < static_cast<int>(rsv.release->items.size()); ++i) {
    Row row = make_row(state, i);
    if (shown(row, ui, splits)) rows.push_back(std::move(row));
  }
  size_t failing = static_cast<size_t>(std::count_if(rows.begin(), rows.end(), [](const Row& row) { return row.failing(); }));
  ImGui::Text("%zu of %zu items, %zu failing or in error   %s", rows.size(), rsv.release->items.size(), failing,
              rsv.current_report() ? "" : "checking ...");
  ImGuiTableFlags flags = ImGuiTableFlags_Sortable | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_ScrollX |
                          ImGuiTableFlags_Resizable | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingFixedFit;
  if (ImGui::BeginTable("rsv_items", 12, flags)) {
    ImGui::TableSetupScrollFreeze(0, 1);
    const char* headers[] = {"split", "relation", "tier", "item", "partner", "structure", "collision", "frames", "L1 dev cm", "closure cm", "L2 PSNR", "errors"};
    for (int c = 0; c < 12; ++c) ImGui::TableSetupColumn(headers[c], c == 0 ? ImGuiTableColumnFlags_DefaultSort : 0);
    ImGui::TableHeadersRow();
    if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs(); specs && specs->SpecsCount > 0) {
      int column = specs->Specs[0].ColumnIndex;
      bool descending = specs->Specs[0].SortDirection == ImGuiSortDirection_Descending;
      std::stable_sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) {
        int c = compare_rows(a, b, column);
        if (c == 0) c = compare_rows(a, b, 3);
        return descending ? c > 0 : c < 0;
      });
    }
    ui.order.clear();
    for (const Row& row : rows) ui.order.push_back(row.item);
    for (const Row& row : rows) {
      ImGui::TableNextRow();
      ImGui::PushID(row.item);
      ImGui::TableNextColumn();
      bool selected = row.item == rsv.item;
      if (row.failing()) ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(255, 120, 110, 255));
      if (ImGui::Selectable(row.split.c_str(), selected, ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowItemOverlap)) {
        commands.push_back(cmd::RsvSelectItem{row.key});
      }
      if (row.failing()) ImGui::PopStyleColor();
      if (selected && ImGui::IsWindowAppearing()) ImGui::SetScrollHereY();
      if (!row.problems.empty() && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", row.problems.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(row.relation.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(row.tier.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(row.ids.c_str());
      ImGui::TableNextColumn();
      if (!row.partner_key.empty()) {
        if (ImGui::SmallButton(row.partner.c_str())) commands.push_back(cmd::RsvSelectItem{row.partner_key});
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("open %s", row.partner_key.c_str());
      } else {
        ImGui::TextUnformatted(row.partner.empty() ? "-" : row.partner.c_str());
      }
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(row.structure.empty() ? "-" : row.structure.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(row.collision.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(row.frames.c_str());
      ImGui::TableNextColumn();
      ImGui::Text("%s %s", verdict_text(row.layer1), number(row.deviation_cm, "%.2f").c_str());
      ImGui::TableNextColumn();
      if (row.residual_cm > rsv::kClosureToleranceCm) ImGui::TextColored(ImVec4(1.0f, 0.35f, 0.3f, 1.0f), "%s", number(row.residual_cm, "%.2f").c_str());
      else ImGui::TextUnformatted(number(row.residual_cm, "%.2f").c_str());
      ImGui::TableNextColumn();
      ImGui::Text("%s %s", verdict_text(row.layer2), number(row.psnr_db, "%.1f").c_str());
      ImGui::TableNextColumn();
      if (row.errors > 0) ImGui::TextColored(ImVec4(1.0f, 0.35f, 0.3f, 1.0f), "%d", row.errors);
      else ImGui::TextUnformatted("0");
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
}

}  // namespace idm::gui
