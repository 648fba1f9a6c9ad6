#include "video/decode_service.hpp"

#include "video/grid_decoder.hpp"
#include "video/frame_pixels.hpp"
#include "video/native_decoder.hpp"

namespace idm {

DecodeService::DecodeService(size_t cache_bytes, double grid_fps)
    : cache_(cache_bytes), grid_fps_(grid_fps), thread_([this] { run(); }) {}

DecodeService::~DecodeService() {
  stop();
  if (thread_.joinable()) thread_.join();
}

uint64_t DecodeService::open(const std::filesystem::path& video) {
  std::lock_guard lock(mutex_);
  open_path_ = video;
  seek_.reset();  // seeks belong to the old clip
  wakeup_.notify_all();
  return ++generation_;
}

void DecodeService::seek_grid(int grid_frame, uint64_t generation) {
  std::lock_guard lock(mutex_);
  seek_ = Seek{false, grid_frame, generation};
  wakeup_.notify_all();
}

void DecodeService::seek_native(int source_frame_index, uint64_t generation) {
  std::lock_guard lock(mutex_);
  seek_ = Seek{true, source_frame_index, generation};
  wakeup_.notify_all();
}

void DecodeService::prefetch(const std::filesystem::path& video) {
  std::lock_guard lock(mutex_);
  prefetch_path_ = video;
  wakeup_.notify_all();
}

void DecodeService::stop() {
  std::lock_guard lock(mutex_);
  stopping_ = true;
  wakeup_.notify_all();
}

bool DecodeService::poll(DecodeEvent& out) {
  std::lock_guard lock(mutex_);
  if (events_.empty()) return false;
  out = std::move(events_.front());
  events_.pop_front();
  return true;
}

bool DecodeService::wait_event(DecodeEvent& out, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  if (!wakeup_.wait_for(lock, timeout, [&] { return !events_.empty(); })) return false;
  out = std::move(events_.front());
  events_.pop_front();
  return true;
}

void DecodeService::post(DecodeEvent event) {
  std::function<void()> notify;
  {
    std::lock_guard lock(mutex_);
    events_.push_back(std::move(event));
    wakeup_.notify_all();
    notify = on_event_;
  }
  if (notify) notify();  // outside the lock: the callback may take its own locks
}

void DecodeService::set_event_callback(std::function<void()> callback) {
  std::lock_guard lock(mutex_);
  on_event_ = std::move(callback);
}

bool DecodeService::interrupted(bool by_seek_too) {
  std::lock_guard lock(mutex_);
  return stopping_ || open_path_.has_value() || (by_seek_too && seek_.has_value());
}

uint64_t DecodeService::clip_id_for(const std::filesystem::path& path) {
  std::lock_guard lock(mutex_);
  auto [it, inserted] = clip_ids_.try_emplace(path.string(), clip_ids_.size() + 1);
  return it->second;
}

std::shared_ptr<const ClipVideo> DecodeService::load_clip(const std::filesystem::path& path, std::string& error) {
  uint64_t clip_id = clip_id_for(path);
  if (auto it = prefetched_.find(clip_id); it != prefetched_.end()) return it->second;
  auto clip = std::make_shared<ClipVideo>();
  clip->path = path;
  clip->clip_id = clip_id;
  if (!build_frame_index(path, clip->index, error)) {
    error = path.filename().string() + ": " + error;
    return nullptr;
  }
  clip->grid = build_grid_map(clip->index, grid_fps_);
  if (clip->grid.length() == 0) {  // nothing to show: an error, or the viewer waits for a frame forever
    error = path.filename().string() + ": " + empty_grid_error(clip->index, grid_fps_);
    return nullptr;
  }
  return clip;
}

void DecodeService::fill_grid(const std::shared_ptr<const ClipVideo>& clip, uint64_t generation, bool post_frames) {
  // Already cached (a prefetched or revisited clip): publish without decoding.
  bool all_cached = true;
  for (int source : clip->grid.source_frame_index) {
    if (!cache_.find({clip->clip_id, source})) all_cached = false;
  }
  auto publish = [&](int grid_frame, std::shared_ptr<const CachedFrame> frame) {
    if (!post_frames) return;
    DecodeEvent event;
    event.kind = DecodeEvent::Kind::GridFrame;
    event.generation = generation;
    event.clip = clip;
    event.grid_frame = grid_frame;
    event.frame = std::move(frame);
    post(std::move(event));
  };
  if (all_cached) {
    for (int k = 0; k < clip->grid.length(); ++k) {
      publish(k, cache_.find({clip->clip_id, clip->grid.source_frame_index[static_cast<size_t>(k)]}));
    }
    return;
  }
  std::shared_ptr<const CachedFrame> last;
  std::string error;
  RgbaConverter converter;  // only for frames that are not 8-bit 4:2:0
  bool ok = decode_grid_frames(clip->path, clip->index, clip->grid, [&](const GridFrameDecoded& grid, std::string& sink_error) {
    if (grid.first_of_source) {
      auto frame = std::make_shared<CachedFrame>();
      frame->clip_id = clip->clip_id;
      frame->source_frame_index = grid.source_frame_index;
      frame->pts_us = grid.pts_us;
      if (!store_frame_pixels(*grid.frame, converter, *frame, sink_error)) return GridSinkResult::Failed;
      last = frame;
      cache_.insert(frame);
    }
    publish(grid.grid_frame, last);
    // A newer clip or Stop (or a seek, when prefetching) wins.
    return interrupted(!post_frames) ? GridSinkResult::Stop : GridSinkResult::Continue;
  }, error);
  if (!ok && post_frames) post({DecodeEvent::Kind::Error, generation, clip, -1, nullptr, clip->path.filename().string() + ": " + error});
}

void DecodeService::serve_seek(const Seek& seek) {
  if (!current_ || seek.generation != current_generation_) return;  // stale
  int source = seek.target;
  if (!seek.native) {
    if (seek.target < 0 || seek.target >= current_->grid.length()) return;
    source = current_->grid.source_frame_index[static_cast<size_t>(seek.target)];
  }
  DecodeEvent event;
  event.kind = seek.native ? DecodeEvent::Kind::NativeFrame : DecodeEvent::Kind::GridFrame;
  event.generation = seek.generation;
  event.clip = current_;
  event.grid_frame = seek.native ? -1 : seek.target;
  event.frame = cache_.find({current_->clip_id, source});
  if (!event.frame) {
    std::string error;
    if (!native_ || !native_->is_open()) {
      native_ = std::make_unique<NativeDecoder>();
      if (!native_->open(current_->path, current_->index, error)) {
        post({DecodeEvent::Kind::Error, seek.generation, current_, -1, nullptr, current_->path.filename().string() + ": " + error});
        native_.reset();
        return;
      }
    }
    if (!native_->decode(source, error)) {
      post({DecodeEvent::Kind::Error, seek.generation, current_, -1, nullptr, current_->path.filename().string() + ": " + error});
      return;
    }
    auto frame = std::make_shared<CachedFrame>();
    frame->clip_id = current_->clip_id;
    frame->source_frame_index = source;
    frame->pts_us = current_->index.frames[static_cast<size_t>(source)].pts_us;
    if (!store_frame_pixels(native_->frame(), native_converter_, *frame, error)) {
      post({DecodeEvent::Kind::Error, seek.generation, current_, -1, nullptr, current_->path.filename().string() + ": " + error});
      return;
    }
    cache_.insert(frame);
    event.frame = std::move(frame);
  }
  post(std::move(event));
}

void DecodeService::run() {
  while (true) {
    std::optional<std::filesystem::path> open_path, prefetch_path;
    std::optional<Seek> seek;
    uint64_t generation = 0;
    {
      std::unique_lock lock(mutex_);
      wakeup_.wait(lock, [&] { return stopping_ || open_path_ || seek_ || prefetch_path_; });
      if (stopping_) return;
      // Priority: a new clip, then the newest seek, then prefetching while idle.
      if (open_path_) {
        open_path.swap(open_path_);
        generation = generation_;
      } else if (seek_) {
        seek.swap(seek_);
      } else {
        prefetch_path.swap(prefetch_path_);
      }
    }
    if (open_path) {
      std::string error;
      auto clip = load_clip(*open_path, error);
      current_ = clip;
      current_generation_ = generation;
      native_.reset();
      if (!clip) {
        post({DecodeEvent::Kind::Error, generation, nullptr, -1, nullptr, error});
        continue;
      }
      post({DecodeEvent::Kind::Opened, generation, clip, -1, nullptr, {}});
      fill_grid(clip, generation, true);
    } else if (seek) {
      serve_seek(*seek);
    } else if (prefetch_path) {
      std::string error;
      if (auto clip = load_clip(*prefetch_path, error)) {
        if (prefetched_.size() >= 8) prefetched_.erase(prefetched_.begin());  // indexes are small; keep a few
        prefetched_[clip->clip_id] = clip;
        fill_grid(clip, 0, false);
      }
    }
  }
}

}  // namespace idm
