#pragma once
// The status bar (end of the menu bar: running tasks with their progress and, for those that can
// stop, a cancel button; then the newest notice) and the notification log panel (newest first,
// colour by severity). Both only read; the cancel buttons append commands.
#include <vector>

#include "analysis_ui.hpp"
#include "app_state.hpp"
#include "infer_panel.hpp"
#include "state/tasks.hpp"

namespace idm::gui {

struct NotificationUi {
  bool show_info = true;
};

void draw_status_bar(const AppState& state, const std::vector<TaskInfo>& tasks, const InferUi& infer, const AnalysisUi& analysis,
                     NotificationUi& ui, CommandQueue& commands);
void draw_notification_log(const AppState& state, NotificationUi& ui);

}  // namespace idm::gui
