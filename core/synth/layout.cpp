#include "synth/layout.hpp"

#include <algorithm>
#include <cmath>

namespace idm::synth {

namespace {
int px(double value) { return static_cast<int>(std::lround(value)); }
}  // namespace

Layout make_layout(int width_px, int height_px) {
  Layout l;
  l.width_px = width_px;
  l.height_px = height_px;
  l.scale = height_px / 1080.0;
  double s = l.scale;
  l.menu_bar = {0, 0, width_px, std::max(8, px(30 * s))};
  int margin_x = px(width_px * 0.04);
  int top = l.menu_bar.h + px(40 * s);
  l.window = {margin_x, top, width_px - 2 * margin_x, height_px - top - px(50 * s)};
  l.title_bar = {l.window.x, l.window.y, l.window.w, std::max(8, px(38 * s))};
  l.toolbar = {l.window.x, l.title_bar.y + l.title_bar.h, l.window.w, std::max(10, px(50 * s))};
  int button_w = std::max(20, px(130 * s));
  int button_h = l.toolbar.h - 2 * std::max(2, px(8 * s));
  for (int i = 0; i < kButtonCount; ++i) {
    l.buttons[i] = {l.toolbar.x + px(16 * s) + i * (button_w + px(14 * s)), l.toolbar.y + (l.toolbar.h - button_h) / 2,
                    button_w, button_h};
  }
  int tab_w = std::max(24, px(220 * s));
  for (int i = 0; i < 2; ++i) {
    l.browser_tabs[i] = {l.toolbar.x + px(16 * s) + i * (tab_w + px(6 * s)), l.toolbar.y + std::max(1, px(8 * s)), tab_w,
                         l.toolbar.h - std::max(1, px(8 * s))};
  }
  int content_y = l.toolbar.y + l.toolbar.h;
  int content_h = l.window.y + l.window.h - content_y;
  int half = l.window.w / 2;
  l.editor = {l.window.x, content_y, half - 2, content_h};
  l.document = {l.window.x + half + 2, content_y, l.window.w - half - 2, content_h};
  l.editor_font_px = std::max(9, px(24 * s));
  l.ui_font_px = std::max(8, px(18 * s));
  l.doc_line_px = std::max(10, px(30 * s));
  l.scroll_px_per_unit = std::max(4, px(36 * s));
  l.cursor_pixel_px = std::max(2, px(1.6 * s));  // >= 2: survives 4:2:0 chroma subsampling
  return l;
}

}  // namespace idm::synth
