#include "infer/frame_pipeline.hpp"

#include <algorithm>
#include <cstdio>

#include "media/font.hpp"
#include "video/frame_index.hpp"
#include "video/grid_decoder.hpp"
#include "video/grid_map.hpp"

namespace idm::infer {

namespace {
constexpr const char* kLabelFont = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf";
}

bool extract_grid_frames(const std::filesystem::path& video, const FramePipelineOptions& options, std::vector<FrameImage>& out,
                         std::string& error, const std::atomic<bool>* cancel) {
  out.clear();
  FrameIndex index;
  if (!build_frame_index(video, index, error)) {
    error = video.string() + ": " + error;
    return false;
  }
  GridMap map = build_grid_map(index, options.fps);
  if (map.length() == 0) {
    error = video.string() + ": no grid frames (the video ends before the first one)";
    return false;
  }
  bool cancelled = false;
  auto sink = [&](const GridFrameRgba& frame) {
    if (cancel && cancel->load()) {
      cancelled = true;
      return false;
    }
    FrameImage image = downscale_to_max_edge(frame.rgba, frame.width, frame.height, frame.stride_bytes, options.max_edge_px);
    image.grid_frame = frame.grid_frame;
    out.push_back(std::move(image));
    return true;
  };
  std::string decode_error;
  if (!decode_grid_rgba(video, index, map, sink, decode_error)) {
    error = video.string() + ": " + decode_error;
    return false;
  }
  if (cancelled) {
    error = "cancelled";
    return false;
  }
  return true;
}

std::string frame_label(int frame) {
  char text[16];
  std::snprintf(text, sizeof text, "F%02d", frame);
  return text;
}

LabelBurner::LabelBurner(std::string& error) : font_path_(kLabelFont) {
  media::Font probe(font_path_, 16, error);
  ok_ = probe.ok();
}

LabelBurner::~LabelBurner() = default;

bool LabelBurner::ok() const { return ok_; }

void LabelBurner::burn(FrameImage& image, const std::string& text) const {
  if (!ok_) return;
  int pixel_height = std::max(12, image.height / 24);
  const media::Font* font = nullptr;
  {
    std::lock_guard lock(*mutex_);
    for (auto& [height, cached] : fonts_by_height_) {
      if (height == pixel_height) font = cached.get();
    }
    if (!font) {
      std::string error;
      fonts_by_height_.emplace_back(pixel_height, std::make_unique<media::Font>(font_path_, pixel_height, error));
      font = fonts_by_height_.back().second.get();
    }
  }
  if (!font->ok()) return;
  // Draw into a small RGB canvas (the font's target), then copy it into the RGBA frame.
  int pad = std::max(2, pixel_height / 5);
  media::Canvas box;
  box.width_px = std::min(image.width, font->text_width_px(text) + 2 * pad);
  box.height_px = std::min(image.height, pixel_height + 2 * pad);
  box.rgb.assign(static_cast<size_t>(box.width_px) * box.height_px * 3, 0);
  media::Rect clip{0, 0, box.width_px, box.height_px};
  font->draw(box, pad, pad + font->ascent_px(), text, media::Rgb{255, 255, 255}, clip);
  for (int y = 0; y < box.height_px; ++y) {
    for (int x = 0; x < box.width_px; ++x) {
      const uint8_t* src = &box.rgb[(static_cast<size_t>(y) * box.width_px + x) * 3];
      uint8_t* dst = &image.rgba[(static_cast<size_t>(y) * image.width + x) * 4];
      dst[0] = src[0];
      dst[1] = src[1];
      dst[2] = src[2];
      dst[3] = 255;
    }
  }
}

WindowFrames encode_window(const std::vector<FrameImage>& frames, int window_index, int start_frame, int size,
                           const LabelBurner* burner) {
  WindowFrames out;
  out.window_index = window_index;
  out.start_frame = start_frame;
  for (int local = 0; local < size && start_frame + local < static_cast<int>(frames.size()); ++local) {
    out.labels.push_back(frame_label(local));
    const FrameImage& frame = frames[static_cast<size_t>(start_frame + local)];
    if (burner) {
      FrameImage labelled = frame;
      burner->burn(labelled, out.labels.back());
      out.pngs.push_back(encode_png(labelled));
    } else {
      out.pngs.push_back(encode_png(frame));
    }
  }
  return out;
}

}  // namespace idm::infer
