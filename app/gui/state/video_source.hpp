#pragma once
// What the viewer's command handlers need from the video engine. The viewer passes the real
// DecodeService (through DecodeServiceSource); tests pass a fake, so the handlers run without a
// decoder, a GPU or a window.
#include <filesystem>

#include "video/decode_service.hpp"

namespace idm::gui {

class VideoSource {
 public:
  virtual ~VideoSource() = default;
  virtual uint64_t open(const std::filesystem::path& video) = 0;  // returns the new generation
  virtual void prefetch(const std::filesystem::path& video) = 0;
  virtual void seek_native(int source_frame_index, uint64_t generation) = 0;
  virtual bool poll(DecodeEvent& out) = 0;  // false when no event is waiting
};

class DecodeServiceSource final : public VideoSource {
 public:
  explicit DecodeServiceSource(DecodeService& service) : service_(service) {}
  uint64_t open(const std::filesystem::path& video) override { return service_.open(video); }
  void prefetch(const std::filesystem::path& video) override { service_.prefetch(video); }
  void seek_native(int source_frame_index, uint64_t generation) override { service_.seek_native(source_frame_index, generation); }
  bool poll(DecodeEvent& out) override { return service_.poll(out); }

 private:
  DecodeService& service_;
};

}  // namespace idm::gui
