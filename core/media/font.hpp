#pragma once
// A TrueType font rasterized once (printable ASCII) through stb_truetype, then blitted with
// alpha into RGB frames. Read-only after construction, so clip threads can share it.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "media/canvas.hpp"

namespace idm::media {

class Font {
 public:
  // Empty font (ok() false) with error set when the file cannot be read or parsed.
  Font(const std::string& ttf_path, int pixel_height, std::string& error);
  bool ok() const { return ok_; }
  int pixel_height() const { return pixel_height_; }
  int ascent_px() const { return ascent_px_; }
  int text_width_px(std::string_view text) const;
  // Draws text with its baseline at y, clipped to `clip`; returns the pen x after the text.
  int draw(Canvas& canvas, int x, int baseline_y, std::string_view text, Rgb colour, const Rect& clip) const;

 private:
  struct Glyph {
    int width = 0, height = 0, x_offset = 0, y_offset = 0, advance = 0;
    std::vector<uint8_t> alpha;
  };
  bool ok_ = false;
  int pixel_height_ = 0;
  int ascent_px_ = 0;
  std::array<Glyph, 128> glyphs_{};
};

}  // namespace idm::media
