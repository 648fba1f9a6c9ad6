#pragma once
// Frames of one rollout as packed RGB24: an mp4 (decoded like the GT, rsv::FrameReader) or a
// folder of numbered PNGs (read losslessly). One thread only.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "rsv/frame_reader.hpp"
#include "rsv_eval/rollout_store.hpp"

namespace idm::rsv_eval {

class RolloutFrames {
 public:
  bool open(const RolloutFiles& files, std::string& error);
  int frame_count() const { return frame_count_; }
  // rgb gets width*height*3 bytes.
  bool read_rgb(int frame_index, std::vector<uint8_t>& rgb, int& width, int& height, std::string& error);

 private:
  RolloutKind kind_ = RolloutKind::Video;
  rsv::FrameReader video_;
  std::vector<std::filesystem::path> pngs_;
  int frame_count_ = 0;
};

// Decodes a PNG file into packed RGB (any PNG colour type; alpha dropped).
bool read_png_rgb(const std::filesystem::path& path, std::vector<uint8_t>& rgb, int& width, int& height, std::string& error);

}  // namespace idm::rsv_eval
