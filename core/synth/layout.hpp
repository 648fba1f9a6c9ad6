#pragma once
// Where things are on the synthetic desktop, in video pixels. One place, shared by the
// script (which aims the mouse at buttons) and the renderer (which draws them).
#include <array>

#include "media/canvas.hpp"

namespace idm::synth {

using media::Canvas;
using media::Rect;
using media::Rgb;

constexpr int kButtonCount = 3;

struct Layout {
  int width_px = 0;
  int height_px = 0;
  double scale = 1.0;           // height / 1080: fonts and margins follow it
  Rect menu_bar;
  Rect window;
  Rect title_bar;
  Rect toolbar;
  std::array<Rect, kButtonCount> buttons;
  std::array<Rect, 2> browser_tabs;  // the browser's tab strip (in the toolbar row)
  Rect editor;                  // left pane: typed text
  Rect document;                // right pane: scrolls
  int editor_font_px = 0;
  int ui_font_px = 0;
  int doc_line_px = 0;          // height of one document line
  int scroll_px_per_unit = 0;   // exact document shift per wheel unit
  int cursor_pixel_px = 1;      // sprite scale: one mask cell is this many pixels
};

Layout make_layout(int width_px, int height_px);

}  // namespace idm::synth
