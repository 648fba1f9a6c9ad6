#pragma once
// The decode service: one thread owns every FFmpeg context. The main thread sends commands
// (Open, SeekGrid, SeekNative, Prefetch, Stop) and polls events; it never waits on decoding.
// Opening a clip decodes all its grid frames in one forward pass into the shared FrameCache.
// A newer seek replaces an older queued one, a newer Open cancels the work of the older clip,
// and every event carries the generation of the Open it belongs to so stale ones are dropped.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "video/frame_cache.hpp"
#include "video/frame_index.hpp"
#include "video/grid_map.hpp"
#include "video/rgba_converter.hpp"

namespace idm {

// What the service learned about an opened clip (immutable once published).
struct ClipVideo {
  std::filesystem::path path;
  uint64_t clip_id = 0;
  FrameIndex index;
  GridMap grid;
};

struct DecodeEvent {
  enum class Kind { Opened, GridFrame, NativeFrame, Error };
  Kind kind = Kind::Error;
  uint64_t generation = 0;
  std::shared_ptr<const ClipVideo> clip;      // Opened (and every frame event)
  int grid_frame = -1;                        // GridFrame
  std::shared_ptr<const CachedFrame> frame;   // GridFrame, NativeFrame
  std::string error;                          // Error: one line, names the file
};

class DecodeService {
 public:
  explicit DecodeService(size_t cache_bytes, double grid_fps = 5.0);
  ~DecodeService();  // stops and joins the thread
  DecodeService(const DecodeService&) = delete;
  DecodeService& operator=(const DecodeService&) = delete;

  // Main thread API. Each call returns at once.
  uint64_t open(const std::filesystem::path& video);  // returns the new generation
  void seek_grid(int grid_frame, uint64_t generation);
  void seek_native(int source_frame_index, uint64_t generation);
  void prefetch(const std::filesystem::path& video);  // decode the next clip's grid while idle
  void stop();

  bool poll(DecodeEvent& out);  // false when no event is waiting
  // Called on the decode thread after each event is queued, so an idle UI that waits for
  // input can be woken (the viewer passes glfwPostEmptyEvent, which is thread-safe).
  void set_event_callback(std::function<void()> callback);
  bool wait_event(DecodeEvent& out, std::chrono::milliseconds timeout);  // for the CLI and tests
  FrameCache& cache() { return cache_; }

 private:
  struct Seek {
    bool native = false;
    int target = 0;
    uint64_t generation = 0;
  };
  void run();
  void post(DecodeEvent event);
  // A newer Open or Stop is waiting (or, while prefetching, any seek): decode thread.
  bool interrupted(bool by_seek_too);
  uint64_t clip_id_for(const std::filesystem::path& path);
  std::shared_ptr<const ClipVideo> load_clip(const std::filesystem::path& path, std::string& error);
  void fill_grid(const std::shared_ptr<const ClipVideo>& clip, uint64_t generation, bool post_frames);
  void serve_seek(const Seek& seek);

  FrameCache cache_;
  const double grid_fps_;

  // Guarded by mutex_: commands from the main thread, events to it.
  std::mutex mutex_;
  std::condition_variable wakeup_;
  bool stopping_ = false;
  uint64_t generation_ = 0;                         // of the newest Open
  std::optional<std::filesystem::path> open_path_;  // newest Open not yet started
  std::optional<Seek> seek_;                        // newest seek (replaces older ones)
  std::optional<std::filesystem::path> prefetch_path_;
  std::deque<DecodeEvent> events_;
  std::function<void()> on_event_;
  std::map<std::string, uint64_t> clip_ids_;

  // Decode thread only.
  std::shared_ptr<const ClipVideo> current_;
  uint64_t current_generation_ = 0;
  std::unique_ptr<class NativeDecoder> native_;
  RgbaConverter native_converter_;  // native frames that are not 8-bit 4:2:0
  std::map<uint64_t, std::shared_ptr<const ClipVideo>> prefetched_;

  std::thread thread_;  // last: starts after every field above exists
};

}  // namespace idm
