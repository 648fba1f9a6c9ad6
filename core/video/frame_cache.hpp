#pragma once
// Decoded frames shared between the decode thread (inserts) and the main thread (reads),
// bounded in bytes, least recently used out first. A hit copies a shared_ptr: no allocation,
// so a cached frame is ready to upload at once.
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace idm {

// How a cached frame holds its pixels. 8-bit 4:2:0 (what recordings are) stays YUV, 2.7x
// smaller than RGBA, and is converted on the GPU (or by yuv420_to_rgba); anything else is
// converted to RGBA by swscale when decoded.
enum class FramePixels : uint8_t { Rgba, Yuv420 };

// The YUV -> RGB matrix, picked from the frame's tags exactly as ffmpeg's scale filter does.
struct YuvMatrix {
  float kr = 0.299f;  // luma weight of red (BT.601 unless tagged otherwise)
  float kb = 0.114f;  // luma weight of blue
  bool full_range = false;
};

struct CachedFrame {
  uint64_t clip_id = 0;
  int source_frame_index = 0;
  int64_t pts_us = 0;
  int width = 0;
  int height = 0;
  FramePixels pixels = FramePixels::Rgba;
  std::vector<uint8_t> rgba;  // Rgba: width * height * 4, rows packed
  std::vector<uint8_t> yuv;   // Yuv420: Y (width x height), then U, then V (chroma_width x chroma_height), packed
  YuvMatrix matrix;           // Yuv420 only
  int chroma_width() const { return (width + 1) / 2; }
  int chroma_height() const { return (height + 1) / 2; }
  const uint8_t* y_plane() const { return yuv.data(); }
  const uint8_t* u_plane() const { return yuv.data() + static_cast<size_t>(width) * height; }
  const uint8_t* v_plane() const { return u_plane() + static_cast<size_t>(chroma_width()) * chroma_height(); }
  size_t bytes() const { return rgba.size() + yuv.size() + sizeof(CachedFrame); }
};

struct FrameKey {
  uint64_t clip_id = 0;
  int source_frame_index = 0;
  bool operator==(const FrameKey&) const = default;
};

class FrameCache {
 public:
  explicit FrameCache(size_t max_bytes) : max_bytes_(max_bytes) {}

  // Thread-safe. Marks the frame as recently used.
  std::shared_ptr<const CachedFrame> find(const FrameKey& key);
  // Thread-safe. Evicts least recently used frames until the total fits.
  void insert(std::shared_ptr<const CachedFrame> frame);
  // Drops every frame of a clip (a file that changed on disk).
  void forget_clip(uint64_t clip_id);
  size_t bytes() const;
  size_t frames() const;

 private:
  struct KeyHash {
    size_t operator()(const FrameKey& key) const { return std::hash<uint64_t>()(key.clip_id * 1000003u + static_cast<uint64_t>(key.source_frame_index)); }
  };
  using Entry = std::shared_ptr<const CachedFrame>;
  // Guards every field below (the decode thread and the main thread both call in).
  mutable std::mutex mutex_;
  size_t max_bytes_;
  size_t bytes_ = 0;
  std::list<Entry> recency_;  // front = most recently used
  std::unordered_map<FrameKey, std::list<Entry>::iterator, KeyHash> entries_;
};

}  // namespace idm
