#include "status_bar.hpp"

#include <imgui.h>

namespace idm::gui {

namespace {

ImVec4 severity_colour(Severity severity) {
  switch (severity) {
    case Severity::Info: return ImVec4(0.65f, 0.65f, 0.7f, 1);
    case Severity::Warning: return ImVec4(0.95f, 0.75f, 0.3f, 1);
    case Severity::Error: return ImVec4(1.0f, 0.42f, 0.4f, 1);
  }
  return ImVec4(1, 1, 1, 1);
}

// "[name 42%]", then an "x" button that appends `cancel` (when given) to the frame's commands.
void task_progress(const char* name, double fraction, uint64_t id, const Command* cancel, CommandQueue& commands) {
  if (fraction >= 0) ImGui::TextDisabled("   [%s %d%%]", name, static_cast<int>(fraction * 100.0 + 0.5));
  else ImGui::TextDisabled("   [%s ...]", name);
  if (!cancel) return;
  ImGui::SameLine(0, 2);
  ImGui::PushID(static_cast<int>(id));
  if (ImGui::SmallButton("x")) commands.push_back(*cancel);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("cancel %s", name);
  ImGui::PopID();
}

}  // namespace

void draw_status_bar(const AppState& state, const std::vector<TaskInfo>& tasks, const InferUi& infer, const AnalysisUi& analysis,
                     NotificationUi&, CommandQueue& commands) {
  if (!ImGui::BeginMenuBar()) return;
  for (const TaskInfo& task : tasks) {
    Command cancel = cmd::CancelTask{task.id};
    task_progress(task.name.c_str(), task.progress, task.id, task_cancellable(task.kind) && !task.cancelling ? &cancel : nullptr, commands);
  }
  if (analysis.mp4_job) {
    int total = analysis.mp4_job->frames_total();
    Command cancel = cmd::CancelMp4{};
    task_progress("MP4 export", total > 0 ? static_cast<double>(std::max(0, analysis.mp4_shown_progress)) / total : -1.0, 0, &cancel, commands);
  }
  if (infer.run && !infer.snapshot.finished) {
    int clips = static_cast<int>(infer.snapshot.clips.size());
    int done = infer.snapshot.complete + infer.snapshot.skipped + infer.snapshot.failed + infer.snapshot.cancelled;
    task_progress("model run", clips > 0 ? static_cast<double>(done) / clips : -1.0, 0, nullptr, commands);  // its window cancels it
  }
  if (const Notice* notice = state.notifications.newest()) {
    ImGui::TextColored(severity_colour(notice->severity), "   %s", notice->message.c_str());
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s%s%s\n(the Log tab lists every notice)", severity_name(notice->severity),
                                                  notice->where.empty() ? "" : ": ", notice->where.c_str());
  }
  ImGui::EndMenuBar();
}

void draw_notification_log(const AppState& state, NotificationUi& ui) {
  ImGui::Checkbox("show info", &ui.show_info);
  ImGui::SameLine();
  ImGui::TextDisabled("%zu notices, newest first", state.notifications.newest_first().size());
  if (!ImGui::BeginTable("notices", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV)) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("#", ImGuiTableColumnFlags_WidthFixed, 40);
  ImGui::TableSetupColumn("severity", ImGuiTableColumnFlags_WidthFixed, 70);
  ImGui::TableSetupColumn("message");
  ImGui::TableHeadersRow();
  for (const Notice& notice : state.notifications.newest_first()) {
    if (!ui.show_info && notice.severity == Severity::Info) continue;
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextDisabled("%llu", static_cast<unsigned long long>(notice.sequence));
    ImGui::TableNextColumn();
    ImGui::TextColored(severity_colour(notice.severity), "%s", severity_name(notice.severity));
    ImGui::TableNextColumn();
    ImGui::TextColored(severity_colour(notice.severity), "%s", notice.message.c_str());
    if (ImGui::IsItemHovered() && !notice.where.empty()) ImGui::SetTooltip("%s", notice.where.c_str());
  }
  ImGui::EndTable();
}

}  // namespace idm::gui
