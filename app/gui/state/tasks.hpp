#pragma once
// The registry of slow work (opening a dataset, loading a source, scoring, saving, writing an
// export): each task runs on its own thread with a name, a progress fraction and a cancel
// flag, and ends in one Command that the main thread drains and applies with the frame's
// other commands. Tasks never touch AppState: they get copies (or, for the dataset's clips, a
// pointer the main thread keeps alive and unchanged until the task is joined; see
// cancel_and_wait).
//
// Ownership: `entries_` and each entry's `result`/`finished` are guarded by `mutex_`; a task's
// progress and cancel flag are atomics written by one side each (progress by the task, cancel
// by the main thread). start/cancel/drain/snapshot are called by the main thread only.
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <condition_variable>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "state/command.hpp"

namespace idm::gui {

enum class TaskKind { OpenDataset, FillDataset, OpenPath, LoadSource, LoadProfile, Scoring, Sweep, Save, Export, EditorOpen, EditorDiskPoll,
                      RsvOpen, RsvCheck, RsvFrames, RsvCurve };

const char* task_kind_name(TaskKind kind);
// Whether the user may cancel a task of this kind. Not: reading the dataset's clips (everything
// waits for it), scoring and the sweep (asked again at once while their inputs stay), saves and
// the editor's open (the editor waits for their results).
bool task_cancellable(TaskKind kind);

class TaskContext {
 public:
  bool cancelled() const { return cancel_.load(std::memory_order_relaxed); }
  void set_progress(double fraction) { progress_.store(fraction, std::memory_order_relaxed); }
  const std::atomic<bool>* cancel_flag() const { return &cancel_; }

 private:
  friend class TaskRegistry;
  std::atomic<bool> cancel_{false};
  std::atomic<double> progress_{-1.0};  // -1: unknown
};

using TaskWork = std::function<Command(TaskContext&)>;

struct TaskInfo {
  uint64_t id = 0;
  TaskKind kind = TaskKind::OpenDataset;
  std::string name;
  double progress = -1.0;  // 0..1, or -1 when unknown
  bool cancelling = false;
};

class TaskRegistry {
 public:
  // `wake` is called from a task's thread when it finishes (the viewer posts an empty GLFW
  // event so the main thread drains the result at once).
  explicit TaskRegistry(std::function<void()> wake = {});
  ~TaskRegistry();  // cancels and joins every task
  TaskRegistry(const TaskRegistry&) = delete;
  TaskRegistry& operator=(const TaskRegistry&) = delete;

  uint64_t start(TaskKind kind, std::string name, TaskWork work);
  void cancel(uint64_t id);
  void cancel_kind(TaskKind kind);
  // Cancels the tasks of `kind` and waits until their threads have ended (their results are
  // kept for drain). Used before replacing data those tasks read.
  void cancel_and_wait(TaskKind kind);
  bool running(TaskKind kind) const;
  bool any_running() const;
  // Whether a task of another kind than `kind` runs (the viewer's first frame does not wait
  // for a dataset's background fill).
  bool any_running_except(TaskKind kind) const;
  std::vector<TaskInfo> snapshot() const;
  // Moves the results of finished tasks into `out`, in the order they finished.
  void drain(CommandQueue& out);
  // Waits until no task is running (tests, and the window closing).
  void wait_idle();
  // Waits until no task of another kind than `kind` runs, or until a task of any kind finishes
  // with its result not yet drained (the caller drains it and may start more work).
  void wait_idle_except(TaskKind kind);

 private:
  struct Entry {
    uint64_t id = 0;
    TaskKind kind = TaskKind::OpenDataset;
    std::string name;
    std::unique_ptr<TaskContext> context;
    std::thread thread;
    bool finished = false;  // mutex_
    std::optional<Command> result;  // mutex_
    uint64_t finish_order = 0;      // mutex_
  };
  std::function<void()> wake_;
  mutable std::mutex mutex_;
  std::condition_variable finished_;
  std::vector<std::unique_ptr<Entry>> entries_;
  uint64_t next_id_ = 1;
  uint64_t next_finish_ = 1;
};

}  // namespace idm::gui
