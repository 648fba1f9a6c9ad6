#include "notifications.hpp"

#include <algorithm>

namespace idm::gui {

const char* severity_name(Severity severity) {
  switch (severity) {
    case Severity::Info: return "info";
    case Severity::Warning: return "warning";
    case Severity::Error: return "error";
  }
  return "?";
}

const Notice& NotificationLog::push(Notice notice) {
  notice.sequence = next_sequence_++;
  notices_.push_front(std::move(notice));
  while (notices_.size() > capacity_) notices_.pop_back();
  return notices_.front();
}

size_t NotificationLog::count(NoticeCode code) const {
  return static_cast<size_t>(std::count_if(notices_.begin(), notices_.end(), [&](const Notice& notice) { return notice.code == code; }));
}

}  // namespace idm::gui
