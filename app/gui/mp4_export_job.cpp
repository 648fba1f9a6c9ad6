#include "mp4_export_job.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>

#include "io/atomic_write.hpp"
#include "media/video_encoder.hpp"
#include "video/grid_decoder.hpp"

namespace idm::gui {

namespace {

// fsync the file, rename it over the target, fsync the folder: readers see the old file or the new one.
bool commit_file(const std::filesystem::path& temp, const std::filesystem::path& target, std::string& error) {
  int fd = ::open(temp.c_str(), O_RDONLY);
  bool synced = fd >= 0 && ::fsync(fd) == 0;
  if (fd >= 0) ::close(fd);
  std::error_code code;
  if (!synced) {
    error = "cannot write " + target.string() + ": fsync failed";
    std::filesystem::remove(temp, code);
    return false;
  }
  std::filesystem::rename(temp, target, code);
  if (code) {
    error = "cannot write " + target.string() + ": " + code.message();
    std::filesystem::remove(temp, code);
    return false;
  }
  std::filesystem::path folder = target.parent_path().empty() ? std::filesystem::path(".") : target.parent_path();
  int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return true;
}

}  // namespace

Mp4ExportJob::~Mp4ExportJob() {
  cancel();
  if (thread_.joinable()) thread_.join();
}

void Mp4ExportJob::start(const ExportClip& clip, const std::filesystem::path& out, const Mp4ExportOptions& options) {
  out_ = out;
  options_ = options;
  request_ = clip;
  request_.clip_index = -1;  // "no such clip" unless the copy below finds it
  if (clip.dataset && clip.clip_index >= 0 && static_cast<size_t>(clip.clip_index) < clip.dataset->clips.size()) {
    const Dataset& source = *clip.dataset;
    const DatasetClip& exported = source.clips[static_cast<size_t>(clip.clip_index)];
    dataset_.root = source.root;
    dataset_.clips = {exported};
    if (auto it = source.annotations.clips.find(exported.key); it != source.annotations.clips.end()) dataset_.annotations.clips.insert(*it);
    if (auto it = source.overrides.clips.find(exported.key); it != source.overrides.clips.end()) dataset_.overrides.clips.insert(*it);
    for (const PredictionSet* set : clip.sources) {
      PredictionSet copy;
      copy.name = set->name;
      copy.path = set->path;
      if (auto it = set->by_clip.find(exported.key); it != set->by_clip.end()) copy.by_clip.insert(*it);
      sources_.push_back(std::move(copy));
    }
    request_.clip_index = 0;
  }
  request_.dataset = &dataset_;
  request_.sources.clear();
  for (const PredictionSet& set : sources_) request_.sources.push_back(&set);  // sources_ no longer grows
  thread_ = std::thread([this] { thread_main(); });
}

void Mp4ExportJob::finish(int result, const std::string& error) {
  std::lock_guard lock(shared_.mutex);
  finish_locked(result, error);
}

void Mp4ExportJob::finish_locked(int result, const std::string& error) {
  shared_.result = result;
  if (shared_.error.empty()) shared_.error = result < 0 ? (error.empty() ? "export cancelled" : error) : "";
  shared_.finished = true;
  shared_.changed.notify_all();
}

void Mp4ExportJob::thread_main() {
  std::string error;
  if (!prepare_export_clip(request_, prepared_, error)) return finish(-1, error);
  const int width = prepared_.index.width, height = prepared_.index.height;
  {
    std::lock_guard lock(shared_.mutex);
    if (shared_.cancelled) return finish_locked(-1, "");  // cancelled while indexing: nothing written
    shared_.prepared = true;
    shared_.frames_total = prepared_.map.length();
    shared_.changed.notify_all();
  }
  std::filesystem::path temp = out_;
  temp.replace_filename("." + out_.filename().string() + ".tmp-" + std::to_string(::getpid()) + ".mp4");
  auto discard = [&temp] {
    std::error_code code;
    std::filesystem::remove(temp, code);
  };
  // (x264's info lines are kept off the terminal by the program's log level, set once at its
  // start: changing it here would race with the decode threads' logging.)
  media::VideoEncoder encoder;
  media::VideoSettings settings;
  settings.width_px = width;
  settings.height_px = height;
  settings.fps = static_cast<int>(request_.profile.fps);
  settings.gop_frames = 10;
  settings.crf = options_.lossless ? 0 : options_.crf;
  settings.full_chroma = options_.lossless;
  settings.edit_list = false;
  if (!encoder.open(temp, settings, error)) {
    discard();
    return finish(-1, "cannot write " + out_.string() + " (" + error + ")");  // the file the user asked for
  }

  // Frames decoded and waiting for their overlay layer: this thread's alone.
  std::deque<std::vector<uint8_t>> waiting;
  std::string mask, encode_error;
  std::vector<uint8_t> rgb;
  // Composites and encodes the frames whose layers came back; false when cancelled or the
  // encoder failed. With `all`, waits until every waiting frame is done.
  auto encode_drawn = [&](std::unique_lock<std::mutex>& lock, bool all) {
    while (true) {
      if (shared_.cancelled) return false;
      if (!shared_.drawn.empty()) {
        OverlayLayer layer = std::move(shared_.drawn.front());
        shared_.drawn.pop_front();
        lock.unlock();
        composite_layer(waiting.front().data(), width, height, layer, 3, rgb, options_.mask_out ? &mask : nullptr);
        waiting.pop_front();
        bool encoded = encoder.add_frame(rgb, encode_error);
        lock.lock();
        if (!encoded) return false;
        ++shared_.frames_encoded;
        continue;
      }
      if (!all || waiting.empty()) return true;
      shared_.changed.wait(lock);
    }
  };
  GridFrameSink sink = [&](const GridFrameRgba& frame) {
    std::vector<uint8_t> packed(static_cast<size_t>(width) * height * 4);
    for (int y = 0; y < height; ++y) {  // rows may be padded
      std::copy_n(frame.rgba + static_cast<size_t>(y) * frame.stride_bytes, static_cast<size_t>(width) * 4,
                  packed.data() + static_cast<size_t>(y) * width * 4);
    }
    std::unique_lock lock(shared_.mutex);
    // Hold a few frames at most, finishing the ones whose layers came back meanwhile.
    while (waiting.size() >= kFramesInFlight) {
      if (!encode_drawn(lock, false)) return false;
      if (waiting.size() >= kFramesInFlight) shared_.changed.wait(lock);
    }
    if (shared_.cancelled) return false;
    waiting.push_back(std::move(packed));
    shared_.to_draw.push_back(frame.grid_frame);
    shared_.changed.notify_all();
    return encode_drawn(lock, false);
  };
  bool decoded = decode_grid_rgba(prepared_.clip->video_path, prepared_.index, prepared_.map, sink, error);
  bool encoded = false;
  {
    std::unique_lock lock(shared_.mutex);
    encoded = decoded && encode_drawn(lock, true);
    if (shared_.cancelled) {
      lock.unlock();
      discard();
      return finish(-1, "");
    }
  }
  // A frame the encoder refused stops decoding early without a decode error: that is a failure.
  if (!decoded || !encoded || !encode_error.empty() || !encoder.finish(error)) {
    discard();
    return finish(-1, !encode_error.empty() ? encode_error : error);
  }
  if (!commit_file(temp, out_, error)) return finish(-1, error);
  if (options_.mask_out && !write_file_atomically(*options_.mask_out, mask, error)) return finish(-1, error);
  std::lock_guard lock(shared_.mutex);
  finish_locked(shared_.frames_encoded, "");
}

bool Mp4ExportJob::step(double budget_s) {
  const auto started = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(shared_.mutex);
    if (shared_.finished) return false;
    if (!shared_.prepared || shared_.cancelled) return true;
  }
  if (!renderer_) {
    renderer_ = std::make_unique<OverlayRenderer>();
    std::string error;
    if (!renderer_->start(prepared_.index.width, prepared_.index.height, error)) {
      std::lock_guard lock(shared_.mutex);
      shared_.error = error;
      shared_.cancelled = true;  // the thread stops and reports this error
      shared_.changed.notify_all();
      return true;
    }
  }
  while (true) {
    int grid_frame = 0;
    {
      std::lock_guard lock(shared_.mutex);
      if (shared_.to_draw.empty() || shared_.cancelled) break;
      grid_frame = shared_.to_draw.front();
      shared_.to_draw.pop_front();
    }
    OverlayLayer layer;
    renderer_->render_layer(export_scene(request_, prepared_, grid_frame), request_.settings, layer);
    {
      std::lock_guard lock(shared_.mutex);
      shared_.drawn.push_back(std::move(layer));
      shared_.changed.notify_all();
    }
    if (std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() >= budget_s) break;
  }
  std::lock_guard lock(shared_.mutex);
  return !shared_.finished;
}

int Mp4ExportJob::run_to_end(std::string& error) {
  while (step(0.05)) {
    std::unique_lock lock(shared_.mutex);
    shared_.changed.wait_for(lock, std::chrono::milliseconds(50), [this] { return shared_.finished || !shared_.to_draw.empty(); });
  }
  return result(error);
}

void Mp4ExportJob::cancel() {
  std::lock_guard lock(shared_.mutex);
  shared_.cancelled = true;
  shared_.changed.notify_all();
}

bool Mp4ExportJob::finished() const {
  std::lock_guard lock(shared_.mutex);
  return shared_.finished;
}

int Mp4ExportJob::frames_encoded() const {
  std::lock_guard lock(shared_.mutex);
  return shared_.frames_encoded;
}

int Mp4ExportJob::frames_total() const {
  std::lock_guard lock(shared_.mutex);
  return shared_.frames_total;
}

int Mp4ExportJob::result(std::string& error) const {
  std::lock_guard lock(shared_.mutex);
  if (shared_.result < 0) error = shared_.error;
  return shared_.result;
}

}  // namespace idm::gui
