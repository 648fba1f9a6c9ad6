#include "quit_signals.hpp"

#include <GLFW/glfw3.h>
#include <pthread.h>

#include <cstdio>
#include <cstdlib>

namespace idm::gui {

namespace {

sigset_t quit_set() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);  // the terminal went away
  return set;
}

}  // namespace

QuitSignals::QuitSignals() {
  sigset_t set = quit_set();
  pthread_sigmask(SIG_BLOCK, &set, &previous_mask_);
  watcher_ = std::thread([this, set] {
    while (true) {
      int signal_number = 0;
      if (sigwait(&set, &signal_number) != 0) continue;
      if (stopping_.load()) return;
      if (requested_.exchange(true)) std::_Exit(128 + signal_number);  // asked twice: no more waiting
      std::fprintf(stderr, "idmscope: signal %d: closing (saving edits, stopping work); again to quit at once\n", signal_number);
      glfwPostEmptyEvent();
    }
  });
}

void QuitSignals::stop() {
  if (!watcher_.joinable()) return;
  stopping_ = true;
  pthread_kill(watcher_.native_handle(), SIGTERM);  // blocked there too: sigwait takes it
  watcher_.join();
  pthread_sigmask(SIG_SETMASK, &previous_mask_, nullptr);
}

QuitSignals::~QuitSignals() { stop(); }

}  // namespace idm::gui
