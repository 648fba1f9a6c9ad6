#include "help_window.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include "key_input.hpp"

namespace idm::gui {

namespace {

bool contains_folded(const std::string& text, const std::string& needle) {
  auto fold = [](std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
  };
  return needle.empty() || fold(text).find(fold(needle)) != std::string::npos;
}

void swatch(ImU32 colour, const char* text, bool outline = false) {
  ImVec2 at = ImGui::GetCursorScreenPos();
  float size = ImGui::GetTextLineHeight() - 2;
  ImDrawList* draw = ImGui::GetWindowDrawList();
  if (outline) draw->AddRect(ImVec2(at.x, at.y + 1), ImVec2(at.x + size, at.y + 1 + size), colour, 2.0f, 0, 2.0f);
  else draw->AddRectFilled(ImVec2(at.x, at.y + 1), ImVec2(at.x + size, at.y + 1 + size), colour, 2.0f);
  ImGui::Dummy(ImVec2(size, size));
  ImGui::SameLine(0, 4);
  ImGui::TextUnformatted(text);
  ImGui::SameLine(0, 12);
}

void badge(ImU32 colour, const char* letter, const char* text) {
  ImVec2 at = ImGui::GetCursorScreenPos();
  float size = ImGui::GetTextLineHeight();
  ImGui::GetWindowDrawList()->AddRectFilled(at, ImVec2(at.x + size - 2, at.y + size), colour, 2.0f);
  ImGui::GetWindowDrawList()->AddText(ImVec2(at.x + 3, at.y), IM_COL32(10, 10, 10, 255), letter);
  ImGui::Dummy(ImVec2(size - 2, size));
  ImGui::SameLine(0, 4);
  ImGui::TextUnformatted(text);
  ImGui::SameLine(0, 12);
}

}  // namespace

std::string shortcut_text(const KeyMap& keys, const char* action) {
  std::string text;
  for (const KeyChord& chord : keys.chords(action)) text += (text.empty() ? "" : ", ") + chord.text();
  return text;
}

void handle_help_keys(const KeyMap& keys, HelpUi& ui) {
  if (!keyboard_free()) return;
  if (action_pressed(keys, "help", false)) ui.open = !ui.open;
}

void draw_legend_strip(const KeyMap& keys) {
  swatch(IM_COL32(70, 185, 95, 255), "TP");
  swatch(IM_COL32(235, 150, 40, 255), "FP");
  swatch(IM_COL32(220, 70, 70, 255), "FN");
  swatch(IM_COL32(220, 70, 70, 255), "missed by this source", true);
  swatch(IM_COL32(130, 130, 150, 255), "neutral");
  swatch(IM_COL32(70, 70, 78, 255), "not scored");
  badge(IM_COL32(60, 160, 230, 255), "V", "visible");
  badge(IM_COL32(170, 120, 230, 255), "I", "inferable");
  badge(IM_COL32(230, 200, 60, 255), "A", "ambiguous");
  badge(IM_COL32(150, 150, 150, 255), "N", "not predictable");
  std::string help = shortcut_text(keys, "help");
  ImGui::TextDisabled("help: %s", help.empty() ? "(unbound)" : help.c_str());
}

void draw_help_window(const KeyMap& keys, HelpUi& ui) {
  if (!ui.open) return;
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowSize(ImVec2(std::min(760.0f, viewport->WorkSize.x * 0.8f), std::min(640.0f, viewport->WorkSize.y * 0.8f)), ImGuiCond_Appearing);
  ImGui::SetNextWindowPos(ImVec2(viewport->WorkPos.x + viewport->WorkSize.x / 2, viewport->WorkPos.y + viewport->WorkSize.y / 2),
                          ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  if (!ImGui::Begin("Help - keys and colours", &ui.open)) {
    ImGui::End();
    return;
  }
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  ImGui::SetNextItemWidth(-1);
  ImGui::InputTextWithHint("##search", "search actions and keys (e.g. label, play, Ctrl)", ui.search, sizeof ui.search);
  if (ImGui::BeginTable("keys", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_ScrollY,
                        ImVec2(0, ImGui::GetContentRegionAvail().y - 5 * ImGui::GetTextLineHeightWithSpacing()))) {
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("action", ImGuiTableColumnFlags_WidthStretch, 3.0f);
    ImGui::TableSetupColumn("keys", ImGuiTableColumnFlags_WidthStretch, 1.4f);
    ImGui::TableSetupColumn("id in keys.json", ImGuiTableColumnFlags_WidthStretch, 1.4f);
    ImGui::TableHeadersRow();
    for (const KeyAction& action : key_actions()) {
      std::string chords = shortcut_text(keys, action.id);
      if (!contains_folded(action.description, ui.search) && !contains_folded(chords, ui.search) && !contains_folded(action.id, ui.search)) continue;
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(action.description);
      ImGui::TableNextColumn();
      if (chords.empty()) ImGui::TextDisabled("(unbound)");
      else ImGui::TextUnformatted(chords.c_str());
      ImGui::TableNextColumn();
      ImGui::TextDisabled("%s", action.id);
    }
    ImGui::EndTable();
  }
  ImGui::TextUnformatted("Timeline colours:");
  ImGui::SameLine();
  draw_legend_strip(keys);
  ImGui::NewLine();
  ImGui::TextWrapped("GT boxes are split in one band per prediction source, in that source's outcome colour. A red frame in a "
                     "source's lane marks a GT action that source missed. Keys are remapped in keys.json (`idmscope keys`).");
  ImGui::End();
}

}  // namespace idm::gui
