#pragma once
// Typed notices: what happened (a code the program decides on), where (a file, a clip), what to
// tell the user (message) and how bad it is. Each is handled once, by the command handler that
// receives it, and then logged; the log panel shows them newest first. Nothing decides by
// reading a message's text. Main thread only.
#include <cstdint>
#include <deque>
#include <string>

namespace idm::gui {

enum class Severity { Info, Warning, Error };

enum class NoticeCode {
  DatasetOpened,
  DatasetUnreadable,
  DatasetRead,          // the background fill read every clip of the opened dataset
  IndexNotKept,         // DATASET/.idmscope/index.json could not be written
  SideFileProblem,      // an unusable side file or an unfinished editor save, named on opening
  ClipProblem,          // a clip that cannot be read or scored, named on opening
  SourceAdded,
  SourceRemoved,
  SourceUnreadable,
  NeedsDataset,         // an action that needs an open dataset
  ProfileUnreadable,
  KeymapProblem,
  RecentListNotSaved,
  LayoutProblem,        // layout.json in the config dir is unreadable or cannot be written
  NothingSelected,      // an editor action with no GT action selected
  EditRejected,         // the clip document refused an edit (the message says why)
  Saved,
  SaveFailed,
  SaveConflict,         // the side files changed on disk: the merge dialog is open
  SaveMerged,           // leaving a clip merged the user's edits into changed files
  RescueWritten,        // could not save: the edits went to a rescue file
  ReloadedFromDisk,
  Exported,
  ExportFailed,
  NavigationEmpty,      // N/P found no FN or FP
  Navigated,
  ModelRun,
  TaskCancelled,
  RsvItemProblem,       // an item of an RSV release with an error (the file and place named)
  RsvFrameUnreadable,   // an RSV video whose frames cannot be decoded
};

struct Notice {
  NoticeCode code = NoticeCode::DatasetOpened;
  Severity severity = Severity::Info;
  std::string where;    // the file or clip it is about (may be empty)
  std::string message;  // for the user
  uint64_t sequence = 0;  // order of arrival (set by the log)
};

const char* severity_name(Severity severity);

// Bounded: the oldest notices fall off past `capacity`.
class NotificationLog {
 public:
  explicit NotificationLog(size_t capacity = 200) : capacity_(capacity) {}
  const Notice& push(Notice notice);
  const std::deque<Notice>& newest_first() const { return notices_; }
  const Notice* newest() const { return notices_.empty() ? nullptr : &notices_.front(); }
  size_t count(NoticeCode code) const;
  bool empty() const { return notices_.empty(); }

 private:
  size_t capacity_;
  uint64_t next_sequence_ = 1;
  std::deque<Notice> notices_;
};

}  // namespace idm::gui
