// The editor panel (beside the video): labelled/total and save state, the clip's GT actions
// as canonical -> after overrides with provenance colours and labels, the raw log -> canonical
// -> overridden view of the selected action, detail editing with completion, adding, and the
// last edits with the F1 change each one caused. Also the label badges drawn in the GT lanes.
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>

#include "edit/key_completion.hpp"
#include "editor.hpp"
#include "gt/frame_rule.hpp"

namespace idm::gui {

namespace {

constexpr double kGridFps = 5.0;

ImVec4 provenance_colour(Provenance provenance, bool deleted) {
  if (deleted) return ImVec4(0.86f, 0.35f, 0.35f, 1.0f);
  switch (provenance) {
    case Provenance::Original: return ImVec4(0.80f, 0.80f, 0.84f, 1.0f);
    case Provenance::Edited: return ImVec4(0.92f, 0.78f, 0.31f, 1.0f);
    case Provenance::Added: return ImVec4(0.40f, 0.82f, 0.47f, 1.0f);
  }
  return ImVec4(1, 1, 1, 1);
}

const char* provenance_name(Provenance provenance, bool deleted) {
  if (deleted) return "deleted";
  switch (provenance) {
    case Provenance::Original: return "original";
    case Provenance::Edited: return "edited";
    case Provenance::Added: return "added";
  }
  return "";
}

ImU32 label_colour(Visibility label) {
  switch (label) {
    case Visibility::Visible: return IM_COL32(60, 190, 90, 255);
    case Visibility::Inferable: return IM_COL32(70, 160, 220, 255);
    case Visibility::Ambiguous: return IM_COL32(235, 160, 50, 255);
    case Visibility::NotPredictable: return IM_COL32(160, 110, 210, 255);
  }
  return IM_COL32(128, 128, 128, 255);
}

const char* label_short(Visibility label) {
  switch (label) {
    case Visibility::Visible: return "1 vis";
    case Visibility::Inferable: return "2 inf";
    case Visibility::Ambiguous: return "3 amb";
    case Visibility::NotPredictable: return "4 n/p";
  }
  return "";
}

struct Row {
  int label_index = -1;
  int frame = 0;
  ActionType type = ActionType::KeyPress;
  std::string canonical;  // "" for additions
  std::string after;      // "" when deleted
  Provenance provenance = Provenance::Original;
  bool deleted = false;
};

// Every action of the clip: the GT after overrides plus the deleted canonical ones, by frame.
std::vector<Row> rows_of(const edit::ClipDocument& document) {
  std::vector<Row> rows;
  OverriddenGt gt = document.overridden_gt();
  const std::vector<Action>& canonical = document.canonical_gt();
  for (const ScoredGtItem& item : gt.items) {
    Row row{item.label_index, item.action.frame, item.action.type, "", item.action.detail, item.provenance, false};
    if (item.label_index < static_cast<int>(canonical.size())) row.canonical = canonical[static_cast<size_t>(item.label_index)].detail;
    rows.push_back(std::move(row));
  }
  for (size_t i = 0; i < gt.deleted.size(); ++i) {
    if (gt.deleted[i]) rows.push_back({static_cast<int>(i), canonical[i].frame, canonical[i].type, canonical[i].detail, "", Provenance::Original, true});
  }
  // By frame and type, then by GT index: a deleted row stays where it was listed.
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    if (a.frame != b.frame) return a.frame < b.frame;
    if (action_type_sort_rank(a.type) != action_type_sort_rank(b.type)) return action_type_sort_rank(a.type) < action_type_sort_rank(b.type);
    return a.label_index < b.label_index;
  });
  return rows;
}

int complete_callback(ImGuiInputTextCallbackData* data) {
  auto type = *static_cast<const ActionType*>(data->UserData);
  auto candidates = edit::complete_detail(type, std::string_view(data->Buf, static_cast<size_t>(data->BufTextLen)), 1);
  if (!candidates.empty()) {
    data->DeleteChars(0, data->BufTextLen);
    data->InsertChars(0, candidates[0].c_str());
  }
  return 0;
}

// A detail field with Tab completion and clickable suggestions; true when Enter was pressed.
bool detail_input(const char* id, char* buffer, size_t size, ActionType type, int& focus) {
  // Focus a frame late: the key that asked for it (E, A) must not be typed into the field.
  if (focus == 1) ImGui::SetKeyboardFocusHere();
  if (focus > 0) --focus;
  ImGui::SetNextItemWidth(-1);
  bool entered = ImGui::InputText(id, buffer, size,
                                  ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_CallbackCompletion | ImGuiInputTextFlags_AutoSelectAll,
                                  complete_callback, const_cast<ActionType*>(&type));
  std::vector<std::string> candidates = edit::complete_detail(type, buffer, 8);
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (candidates[i] == buffer) continue;
    if (i > 0) ImGui::SameLine();
    ImGui::PushID(static_cast<int>(i));
    if (ImGui::SmallButton(candidates[i].c_str())) std::snprintf(buffer, size, "%s", candidates[i].c_str());
    ImGui::PopID();
  }
  return entered;
}

// Raw log -> canonical GT -> GT after overrides, for the selected action.
void draw_three_way(const AppState& state, const Row& row) {
  const edit::ClipDocument& document = state.editor.document;
  const DatasetClip& clip = state.dataset.clips[static_cast<size_t>(state.view.clip)];
  ImGui::TextDisabled("raw log (F%02d +-1)", row.frame);
  int shown = 0;
  for (const RawEvent& event : clip.log.events) {
    bool relevant = row.type == ActionType::KeyPress      ? event.kind == EventKind::KeyPress || event.kind == EventKind::KeyRelease
                    : row.type == ActionType::MouseClick  ? event.kind == EventKind::MousePress || event.kind == EventKind::MouseRelease
                    : row.type == ActionType::MouseScroll ? event.kind == EventKind::MouseScroll
                                                          : false;
    auto frame = frame_of_timestamp(event.ts_us, clip.log.start_s, kGridFps);
    if (!relevant || !frame || *frame < row.frame - 1 || *frame > row.frame + 1) continue;
    if (++shown > 8) break;
    ImGui::Text("  F%02lld %8.3f s  %s %s", static_cast<long long>(*frame), (event.ts_us - clip.log.start_s * 1e6) / 1e6,
                event_kind_name(event.kind), event.kind == EventKind::MouseScroll ? event.payload_json.c_str() : event.name.c_str());
  }
  if (shown == 0) ImGui::TextDisabled("  (no %s events near this frame)", action_type_name(row.type));
  ImGui::TextDisabled("canonical GT");
  if (row.label_index < static_cast<int>(document.canonical_count())) ImGui::Text("  #%d F%02d %s %s", row.label_index, row.frame, action_type_name(row.type), row.canonical.c_str());
  else ImGui::TextDisabled("  (none: added by an override)");
  ImGui::TextDisabled("after overrides");
  ImGui::TextColored(provenance_colour(row.provenance, row.deleted), "  %s  %s", row.deleted ? "(removed)" : row.after.c_str(),
                     provenance_name(row.provenance, row.deleted));
}

void draw_merge_dialog(AppState& state, CommandQueue& commands) {
  EditorState& editor = state.editor;
  if (editor.show_merge) {
    ImGui::OpenPopup("Side files changed on disk");
    editor.show_merge = false;
  }
  if (!ImGui::BeginPopupModal("Side files changed on disk", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
  const edit::PendingMerge* merge = editor.document.pending_merge();
  if (!merge) {
    ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
    return;
  }
  ImGui::PushTextWrapPos(640);
  ImGui::TextUnformatted(merge->summary.c_str());
  for (const std::string& note : merge->result.notes) ImGui::BulletText("%s", note.c_str());
  ImGui::TextDisabled("Nothing has been written. Saving the merge keeps the other program's changes and yours; "
                      "the version on disk now is kept as <file>.bak.");
  ImGui::PopTextWrapPos();
  // Enter saves the merge, Escape leaves it for later (the keyboard-only path, and for tests).
  bool enter = ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter), false);
  bool escape = ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false);
  if (ImGui::Button("Save merged (Enter)") || enter) {
    commands.push_back(cmd::EditorAcceptMerge{});
    ImGui::CloseCurrentPopup();
  }
  ImGui::SameLine();
  if (ImGui::Button("Not now (Esc)") || escape) {
    commands.push_back(cmd::EditorDismissMerge{});
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
}

}  // namespace

void draw_editor(AppState& state, CommandQueue& commands) {
  EditorState& editor = state.editor;
  edit::ClipDocument& document = editor.document;
  ImGui::TextUnformatted("Editor");
  if (!editor.open_error.empty() || !document.is_open()) {
    ImGui::SameLine();
    ImGui::TextDisabled(editor.opening ? "(opening ...)" : "(no clip)");
    if (!editor.open_error.empty()) {
      ImGui::PushTextWrapPos(0);
      ImGui::TextColored(ImVec4(0.9f, 0.4f, 0.4f, 1), "%s", editor.open_error.c_str());
      ImGui::PopTextWrapPos();
    }
    return;
  }
  auto [labelled, total] = document.label_progress();
  ImGui::SameLine();
  ImGui::Text("  labelled %d/%d", labelled, total);
  ImGui::SameLine();
  if (document.dirty()) ImGui::TextColored(ImVec4(0.95f, 0.75f, 0.3f, 1), "  * unsaved");
  else ImGui::TextColored(ImVec4(0.5f, 0.8f, 0.5f, 1), "  saved");
  bool autosave = editor.autosave;
  if (ImGui::Checkbox("autosave", &autosave)) commands.push_back(cmd::SetAutosave{autosave});
  ImGui::SameLine();
  if (ImGui::SmallButton("Save")) commands.push_back(cmd::EditorSave{});
  ImGui::SameLine();
  if (ImGui::SmallButton("Undo")) commands.push_back(cmd::EditorUndo{});
  ImGui::SameLine();
  if (ImGui::SmallButton("Redo")) commands.push_back(cmd::EditorRedo{});
  if (editor.save_in_flight) {
    ImGui::SameLine();
    ImGui::TextDisabled("saving ...");
  }
  if (!editor.save_status.empty()) {
    ImGui::TextColored(editor.save_failed ? ImVec4(0.95f, 0.4f, 0.4f, 1) : ImVec4(0.6f, 0.6f, 0.65f, 1), "%s", editor.save_status.c_str());
  }
  bool uses_labels = std::any_of(state.profile.excluded.begin(), state.profile.excluded.end(), [](bool excluded) { return excluded; });
  if (!state.profile.apply_overrides || !uses_labels) {
    ImGui::TextDisabled("profile %s ignores %s: F1 will not change for those edits", state.profile.name.c_str(),
                        !state.profile.apply_overrides && !uses_labels ? "labels and overrides" : !uses_labels ? "labels" : "overrides");
  }
  if (!editor.history.empty()) {
    const EditEffect& last = editor.history.back();
    std::string text = "last: " + last.description;
    for (size_t s = 0; s < last.f1_delta.size() && s < state.sources.size(); ++s) {
      char delta[96];
      std::snprintf(delta, sizeof delta, "   dF1 %s %+.4f", state.sources[s].predictions.name.c_str(), last.f1_delta[s]);
      text += delta;
    }
    ImGui::TextUnformatted(text.c_str());
  }

  std::vector<Row> rows = rows_of(document);
  const Row* selected = nullptr;
  for (const Row& row : rows) {
    if (row.label_index == editor.selected) selected = &row;
  }
  // The list takes half the panel when an action is selected; the rest scrolls on its own.
  float available_y = ImGui::GetContentRegionAvail().y;
  float list_height = selected || editor.adding ? std::max(120.0f, available_y * 0.5f) : std::max(80.0f, available_y - 8.0f);
  int clicked = -1;
  bool clicked_with_ctrl = false;
  if (ImGui::BeginTable("gt_actions", 6, ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV,
                        ImVec2(0, list_height))) {
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("#", ImGuiTableColumnFlags_WidthFixed, 28);
    ImGui::TableSetupColumn("F", ImGuiTableColumnFlags_WidthFixed, 30);
    ImGui::TableSetupColumn("type", ImGuiTableColumnFlags_WidthFixed, 78);
    ImGui::TableSetupColumn("canonical");
    ImGui::TableSetupColumn("after overrides");
    ImGui::TableSetupColumn("label", ImGuiTableColumnFlags_WidthFixed, 46);
    ImGui::TableHeadersRow();
    for (const Row& row : rows) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      char id[32];
      std::snprintf(id, sizeof id, "%d##row%d%s", row.label_index, row.label_index, row.deleted ? "d" : "");
      bool is_selected = row.label_index == editor.selected || editor.bulk.count(row.label_index);
      if (ImGui::Selectable(id, is_selected, ImGuiSelectableFlags_SpanAllColumns)) {
        clicked = row.label_index;
        clicked_with_ctrl = ImGui::GetIO().KeyCtrl;
      }
      if (row.label_index == editor.selected && editor.scroll_to_selected) {
        ImGui::SetScrollHereY(0.5f);
        editor.scroll_to_selected = false;
      }
      ImGui::TableNextColumn();
      ImGui::Text("F%02d", row.frame);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(action_type_name(row.type));
      ImGui::TableNextColumn();
      ImGui::TextDisabled("%s", row.canonical.empty() ? "-" : row.canonical.c_str());
      ImGui::TableNextColumn();
      ImGui::TextColored(provenance_colour(row.provenance, row.deleted), "%s", row.deleted ? "deleted" : row.after.c_str());
      ImGui::TableNextColumn();
      if (auto label = document.label(row.label_index); label && !row.deleted) {
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(label_colour(*label)), "%s", label_short(*label));
      }
    }
    ImGui::EndTable();
  }

  ImGui::BeginChild("editor_detail", ImVec2(0, 0), false, ImGuiWindowFlags_NoNavInputs);  // Tab is the editor's key
  if (selected && !editor.adding) {
    Row row = *selected;  // rows may change below
    draw_three_way(state, row);
    if (row.deleted) {
      if (ImGui::Button("Restore")) commands.push_back(cmd::EditorRestore{row.label_index});
    } else {
      if (editor.detail_for != row.label_index) {
        std::snprintf(editor.detail, sizeof editor.detail, "%s", row.after.c_str());
        editor.detail_for = row.label_index;
      }
      ImGui::TextDisabled("detail (E to edit, Tab completes, Enter applies)");
      if (detail_input("##detail", editor.detail, sizeof editor.detail, row.type, editor.focus_detail)) {
        commands.push_back(cmd::EditorEditDetail{editor.detail});
      }
      if (ImGui::Button("Delete")) commands.push_back(cmd::EditorDeleteSelected{});
    }
  }
  if (editor.adding) {
    ImGui::Text("Add an action at F%02d", state.grid_frame);
    const char* types[] = {"KeyPress", "MouseClick", "MouseScroll"};
    ImGui::SetNextItemWidth(140);
    ImGui::Combo("type", &editor.add_type, types, 3);
    auto type = static_cast<ActionType>(editor.add_type);
    bool entered = detail_input("##add_detail", editor.add_detail, sizeof editor.add_detail, type, editor.focus_add);
    if (ImGui::Button("Add") || entered) {
      commands.push_back(cmd::EditorAdd{{state.grid_frame, type, editor.add_detail}});
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel")) commands.push_back(cmd::EditorCancelAdd{});
  }
  ImGui::EndChild();

  if (clicked >= 0) {
    if (clicked_with_ctrl) commands.push_back(cmd::EditorToggleBulk{clicked});
    else commands.push_back(cmd::EditorSelect{clicked, true});  // a plain click ends a bulk selection
  }
  draw_merge_dialog(state, commands);
}

void draw_gt_badge(ImDrawList* draw, const ImVec4& box, const GtOutcome& gt, const AppState& state, PanelRequests& requests) {
  const EditorState& editor = state.editor;
  if (gt.item.label_index < 0 || gt.item.action.type == ActionType::MouseMove) return;
  // The label badge itself is drawn by the lane (frame_box); this adds provenance and selection.
  if (gt.item.provenance != Provenance::Original) {
    ImVec4 colour = provenance_colour(gt.item.provenance, false);
    draw->AddRect(ImVec2(box.x, box.y), ImVec2(box.z, box.w), ImGui::ColorConvertFloat4ToU32(colour), 2.0f, 0, 2.0f);
  }
  bool selected = gt.item.label_index == editor.selected || editor.bulk.count(gt.item.label_index);
  if (selected) draw->AddRect(ImVec2(box.x - 2, box.y - 2), ImVec2(box.z + 2, box.w + 2), IM_COL32(255, 255, 255, 255), 2.0f, 0, 2.0f);
  ImVec2 mouse = ImGui::GetMousePos();
  if (ImGui::IsMouseClicked(0) && ImGui::IsWindowHovered() && mouse.x >= box.x && mouse.x <= box.z && mouse.y >= box.y && mouse.y <= box.w) {
    requests.select_gt = gt.item.label_index;
  }
}

}  // namespace idm::gui
