#pragma once
// The advisory lock every editor save holds from reading the side files until its commit is
// done, so that saves from any number of processes (viewers, `idmscope edit`) take turns:
// flock() on ".idmscope-save.lock" in the dataset folder. The kernel drops the lock when its
// holder dies, so a journal found while holding it belongs to a save that can no longer
// finish by itself. Read-only readers (score, check) never take it.
#include <filesystem>
#include <string>

namespace idm {

inline constexpr const char* kSaveLockName = ".idmscope-save.lock";

class SaveLock {
 public:
  SaveLock() = default;
  SaveLock(const SaveLock&) = delete;
  SaveLock& operator=(const SaveLock&) = delete;
  ~SaveLock() { release(); }

  // Waits up to timeout_ms for the lock on `folder` (locks on one folder exclude each other
  // between processes and between threads). False with error naming the lock file when it
  // cannot be had. Where the lock file cannot be created (a read-only folder) the folder
  // itself is locked, which works everywhere but NFS.
  bool acquire(const std::filesystem::path& folder, int timeout_ms, std::string& error);
  void release();
  bool held() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

// How long an editor waits for another process's save: saves take milliseconds, so this is
// only reached when a saving process is stopped or hangs on its disk.
inline constexpr int kSaveLockTimeout_ms = 20000;

}  // namespace idm
