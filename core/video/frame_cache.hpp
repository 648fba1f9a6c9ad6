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

struct CachedFrame {
  uint64_t clip_id = 0;
  int source_frame_index = 0;
  int64_t pts_us = 0;
  int width = 0;
  int height = 0;
  std::vector<uint8_t> rgba;  // width * height * 4, rows packed
  size_t bytes() const { return rgba.size() + sizeof(CachedFrame); }
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
