// The one translation unit holding stb_image's implementation (PNG only), for rollout frames.
#include "rsv_eval/rollout_frames.hpp"

#include <cstring>

#define STBI_ONLY_PNG
#define STBI_NO_STDIO
#define STB_IMAGE_IMPLEMENTATION
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wunused-function"
#include <stb_image.h>
#pragma GCC diagnostic pop

#include <fstream>
#include <iterator>

namespace idm::rsv_eval {

bool read_png_rgb(const std::filesystem::path& path, std::vector<uint8_t>& rgb, int& width, int& height, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot open " + path.string();
    return false;
  }
  std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.size() > (1u << 30)) {
    error = path.string() + ": larger than 1 GiB";
    return false;
  }
  int channels = 0;
  unsigned char* pixels = stbi_load_from_memory(bytes.data(), static_cast<int>(bytes.size()), &width, &height, &channels, 3);
  if (!pixels) {
    error = path.string() + ": not a readable PNG (" + std::string(stbi_failure_reason() ? stbi_failure_reason() : "unknown") + ")";
    return false;
  }
  rgb.assign(pixels, pixels + static_cast<size_t>(width) * height * 3);
  stbi_image_free(pixels);
  return true;
}

bool RolloutFrames::open(const RolloutFiles& files, std::string& error) {
  kind_ = files.kind;
  if (kind_ == RolloutKind::Video) {
    if (!video_.open(files.path, error)) return false;
    frame_count_ = video_.facts().frames;
    return true;
  }
  if (!list_numbered_pngs(files.path, pngs_, error)) return false;
  frame_count_ = static_cast<int>(pngs_.size());
  return true;
}

bool RolloutFrames::read_rgb(int frame_index, std::vector<uint8_t>& rgb, int& width, int& height, std::string& error) {
  if (frame_index < 0 || frame_index >= frame_count_) {
    error = "frame " + std::to_string(frame_index) + " is outside the rollout's " + std::to_string(frame_count_) + " frames";
    return false;
  }
  if (kind_ == RolloutKind::Video) {
    if (!video_.read_rgb(frame_index, rgb, error)) return false;
    width = video_.facts().width;
    height = video_.facts().height;
    return true;
  }
  return read_png_rgb(pngs_[static_cast<size_t>(frame_index)], rgb, width, height, error);
}

}  // namespace idm::rsv_eval
