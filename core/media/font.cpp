#include "media/font.hpp"

// stb_truetype (Debian libstb-dev) is compiled here with private (static) symbols: the GUI
// links ImGui's own stb_truetype copy under the same names (third_party/imgui_stb.cpp).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wall"
#pragma GCC diagnostic ignored "-Wextra"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wunused-function"
#define STBTT_STATIC
#define STB_TRUETYPE_IMPLEMENTATION
#include <stb_truetype.h>
#pragma GCC diagnostic pop

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>

namespace idm::media {

void Canvas::fill(const Rect& rect, Rgb c) {
  int x0 = std::max(0, rect.x), y0 = std::max(0, rect.y);
  int x1 = std::min(width_px, rect.x + rect.w), y1 = std::min(height_px, rect.y + rect.h);
  for (int y = y0; y < y1; ++y) {
    uint8_t* p = &rgb[(static_cast<size_t>(y) * width_px + x0) * 3];
    for (int x = x0; x < x1; ++x, p += 3) {
      p[0] = c.r;
      p[1] = c.g;
      p[2] = c.b;
    }
  }
}

void Canvas::blend(int x, int y, Rgb c, uint8_t a) {
  if (x < 0 || y < 0 || x >= width_px || y >= height_px || a == 0) return;
  uint8_t* p = &rgb[(static_cast<size_t>(y) * width_px + x) * 3];
  // Integer blend: identical results on every machine.
  p[0] = static_cast<uint8_t>((c.r * a + p[0] * (255 - a) + 127) / 255);
  p[1] = static_cast<uint8_t>((c.g * a + p[1] * (255 - a) + 127) / 255);
  p[2] = static_cast<uint8_t>((c.b * a + p[2] * (255 - a) + 127) / 255);
}

Font::Font(const std::string& path, int pixel_height, std::string& error) : pixel_height_(pixel_height) {
  std::ifstream in(path, std::ios::binary);
  std::vector<unsigned char> data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  stbtt_fontinfo info;
  if (data.empty() || !stbtt_InitFont(&info, data.data(), stbtt_GetFontOffsetForIndex(data.data(), 0))) {
    error = "cannot read font " + path;
    return;
  }
  float scale = stbtt_ScaleForPixelHeight(&info, static_cast<float>(pixel_height));
  int ascent = 0, descent = 0, gap = 0;
  stbtt_GetFontVMetrics(&info, &ascent, &descent, &gap);
  ascent_px_ = static_cast<int>(std::lround(ascent * scale));
  for (int c = 32; c < 127; ++c) {
    Glyph& g = glyphs_[c];
    int advance = 0, bearing = 0;
    stbtt_GetCodepointHMetrics(&info, c, &advance, &bearing);
    g.advance = static_cast<int>(std::lround(advance * scale));
    unsigned char* bitmap = stbtt_GetCodepointBitmap(&info, scale, scale, c, &g.width, &g.height, &g.x_offset, &g.y_offset);
    if (bitmap) {
      g.alpha.assign(bitmap, bitmap + static_cast<size_t>(g.width) * g.height);
      stbtt_FreeBitmap(bitmap, nullptr);
    }
  }
  ok_ = true;
}

int Font::text_width_px(std::string_view text) const {
  int width = 0;
  for (char c : text) width += glyphs_[static_cast<unsigned char>(c) & 127].advance;
  return width;
}

int Font::draw(Canvas& canvas, int x, int baseline_y, std::string_view text, Rgb colour, const Rect& clip) const {
  for (char ch : text) {
    const Glyph& g = glyphs_[static_cast<unsigned char>(ch) & 127];
    for (int gy = 0; gy < g.height; ++gy) {
      int py = baseline_y + g.y_offset + gy;
      if (py < clip.y || py >= clip.y + clip.h) continue;
      for (int gx = 0; gx < g.width; ++gx) {
        int px = x + g.x_offset + gx;
        if (px < clip.x || px >= clip.x + clip.w) continue;
        canvas.blend(px, py, colour, g.alpha[static_cast<size_t>(gy) * g.width + gx]);
      }
    }
    x += g.advance;
  }
  return x;
}

}  // namespace idm::media
