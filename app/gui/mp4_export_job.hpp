#pragma once
// An MP4 export that does not stop the UI. A background thread indexes and decodes the clip,
// composites and encodes (x264); the main thread, which owns the GL context, draws each
// frame's overlay layer (just the rectangle the overlays touch) between UI frames. The job works on a
// copy of the one clip it exports (its log, labels, overrides and predictions), so the user
// may edit, switch clips or open another dataset meanwhile.
//
// Threads: start(), step(), cancel() and the destructor are main-thread calls. The worker
// thread and step() meet in the queues of `Shared`, under its mutex.
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "overlay_export.hpp"
#include "overlay_renderer.hpp"

namespace idm::gui {

class Mp4ExportJob {
 public:
  Mp4ExportJob() = default;
  ~Mp4ExportJob();  // cancels and joins: no temp file is left behind
  Mp4ExportJob(const Mp4ExportJob&) = delete;
  Mp4ExportJob& operator=(const Mp4ExportJob&) = delete;

  // Copies what it needs from `clip` and starts the thread.
  void start(const ExportClip& clip, const std::filesystem::path& out, const Mp4ExportOptions& options);
  // Main thread: draws overlays on decoded frames for about `budget_s` (at least one frame when
  // one is waiting). Returns true while the job is still going.
  bool step(double budget_s);
  // Blocks, stepping, until the job ends (the CLI); returns frames written or -1 with error.
  int run_to_end(std::string& error);
  void cancel();

  bool finished() const;
  // Progress for the status line: frames encoded / frames in the clip's grid (0 until known).
  int frames_encoded() const;
  int frames_total() const;
  // Once finished: frames written, or -1 with error (cancelled is an error: "export cancelled").
  int result(std::string& error) const;
  const std::filesystem::path& output() const { return out_; }

 private:
  struct Shared {
    mutable std::mutex mutex;
    std::condition_variable changed;
    bool prepared = false;                // PreparedClip is filled and read-only from here on
    int frames_total = 0;
    std::deque<int> to_draw;              // thread -> main: grid frames decoded, awaiting overlays
    std::deque<OverlayLayer> drawn;       // main -> thread: their overlay layers, in order
    int frames_encoded = 0;
    bool cancelled = false;
    bool finished = false;
    int result = -1;
    std::string error;
  };
  static constexpr size_t kFramesInFlight = 3;  // decoded frames held while their overlays are drawn

  void thread_main();
  void finish(int result, const std::string& error);
  void finish_locked(int result, const std::string& error);  // with shared_.mutex held

  // Snapshot of the exported clip (owned, immutable while the thread runs).
  Dataset dataset_;
  std::vector<PredictionSet> sources_;
  ExportClip request_;
  std::filesystem::path out_;
  Mp4ExportOptions options_;
  PreparedClip prepared_;  // written by the thread before `prepared`, read by both after
  Shared shared_;
  std::thread thread_;
  std::unique_ptr<OverlayRenderer> renderer_;  // main thread
};

}  // namespace idm::gui
