#pragma once
// The frame pipeline (issue 8): a clip's grid frames from the video engine, downscaled to a
// max edge, cut into the profile's windows; per window, optional Fxx labels (window-local,
// as the model answers with local labels) burned into the top-left corner, then PNG.
#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "infer/frame_image.hpp"
#include "scoring/windows.hpp"

namespace idm::media {
class Font;
}

namespace idm::infer {

struct FramePipelineOptions {
  int max_edge_px = 0;      // 0: full size
  bool burn_labels = false; // "F00".."F09" in each window's frames
  double fps = 5.0;
};

// Decodes every grid frame of `video`, downscaled. False with a one-line error naming the
// file; stops early (false, error "cancelled") when *cancel becomes true.
bool extract_grid_frames(const std::filesystem::path& video, const FramePipelineOptions& options, std::vector<FrameImage>& out,
                         std::string& error, const std::atomic<bool>* cancel = nullptr);

// Draws `text` (white on a black box) into the image's top-left corner; the height follows
// the image (1/24 of its height, at least 12 px).
class LabelBurner {
 public:
  explicit LabelBurner(std::string& error);  // loads DejaVu Sans Mono; ok() false if missing
  ~LabelBurner();  // out of line: Font is incomplete here
  bool ok() const;
  void burn(FrameImage& image, const std::string& text) const;

 private:
  std::string font_path_;
  mutable std::vector<std::pair<int, std::unique_ptr<media::Font>>> fonts_by_height_;  // built lazily
  std::unique_ptr<std::mutex> mutex_ = std::make_unique<std::mutex>();  // guards fonts_by_height_
  bool ok_ = false;
};

// "F07" style label of a window-local frame.
std::string frame_label(int frame);

struct WindowFrames {
  int window_index = 0;
  int start_frame = 0;
  std::vector<std::string> labels;  // local labels, one per frame
  std::vector<std::string> pngs;    // encoded frames (labels burned in when asked)
};

// The PNGs of one window (frames start..start+size-1 that exist).
WindowFrames encode_window(const std::vector<FrameImage>& frames, int window_index, int start_frame, int size,
                           const LabelBurner* burner);

}  // namespace idm::infer
