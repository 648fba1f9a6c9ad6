#include "video/frame_cache.hpp"

namespace idm {

std::shared_ptr<const CachedFrame> FrameCache::find(const FrameKey& key) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return nullptr;
  recency_.splice(recency_.begin(), recency_, it->second);  // relinks a node: no allocation
  return *it->second;
}

void FrameCache::insert(std::shared_ptr<const CachedFrame> frame) {
  if (!frame) return;
  FrameKey key{frame->clip_id, frame->source_frame_index};
  std::lock_guard lock(mutex_);
  if (auto it = entries_.find(key); it != entries_.end()) {
    bytes_ -= (*it->second)->bytes();
    recency_.erase(it->second);
    entries_.erase(it);
  }
  bytes_ += frame->bytes();
  recency_.push_front(std::move(frame));
  entries_[key] = recency_.begin();
  while (bytes_ > max_bytes_ && recency_.size() > 1) {
    const Entry& oldest = recency_.back();
    bytes_ -= oldest->bytes();
    entries_.erase(FrameKey{oldest->clip_id, oldest->source_frame_index});
    recency_.pop_back();
  }
}

void FrameCache::forget_clip(uint64_t clip_id) {
  std::lock_guard lock(mutex_);
  for (auto it = recency_.begin(); it != recency_.end();) {
    if ((*it)->clip_id == clip_id) {
      bytes_ -= (*it)->bytes();
      entries_.erase(FrameKey{clip_id, (*it)->source_frame_index});
      it = recency_.erase(it);
    } else {
      ++it;
    }
  }
}

size_t FrameCache::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

size_t FrameCache::frames() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace idm
