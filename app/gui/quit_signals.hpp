#pragma once
// SIGINT, SIGTERM and SIGHUP close the viewer the way its window's close button does: unsaved edits
// are written, a model run is cancelled (its worker reaped), an unfinished export's temp file
// is removed. The signals are blocked in this thread and every thread started after it, and
// one watcher thread takes them with sigwait and wakes the UI (glfwPostEmptyEvent is safe from
// any thread). A second signal ends the process at once.
//
// Construct after glfwInit and before any other thread starts; stop() before glfwTerminate.
#include <signal.h>

#include <atomic>
#include <thread>

namespace idm::gui {

class QuitSignals {
 public:
  QuitSignals();
  ~QuitSignals();
  QuitSignals(const QuitSignals&) = delete;
  QuitSignals& operator=(const QuitSignals&) = delete;

  bool requested() const { return requested_.load(); }
  void stop();  // ends the watcher and gives this thread its old signal mask back

 private:
  std::atomic<bool> requested_{false};
  std::atomic<bool> stopping_{false};
  sigset_t previous_mask_{};
  std::thread watcher_;
};

}  // namespace idm::gui
