#include "synth/renderer.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

namespace idm::synth {

namespace {

constexpr const char* kMonoFont = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf";
// UI text in Inter (close to macOS's San Francisco); DejaVu Sans when fonts-inter is missing.
constexpr const char* kSansFont = "/usr/share/fonts/opentype/inter/Inter-Regular.otf";
constexpr const char* kSansFallback = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
constexpr int64_t kCaretHalfPeriodUs = 530'000;  // macOS-like caret blink
constexpr int64_t kSpinnerStepUs = 100'000;

const Rgb kInk{30, 30, 34};
const Rgb kMuted{110, 110, 120};
const Rgb kWhite{255, 255, 255};

// The arrow pointer: 'X' outline, '.' fill, hotspot at the top-left cell.
constexpr std::array<const char*, 17> kCursorMask{
    "X          ", "XX         ", "X.X        ", "X..X       ", "X...X      ", "X....X     ",
    "X.....X    ", "X......X   ", "X.......X  ", "X........X ", "X.....XXXXX", "X..X..X    ",
    "X.X X..X   ", "XX  X..X   ", "X    X..X  ", "     X..X  ", "      XX   "};

const char* kWords[] = {"signal", "frame", "vector", "render", "cursor", "scroll", "window", "buffer",
                        "event", "model", "label", "input", "pixel", "clock", "stream", "record"};

std::string document_line(int index) {
  char head[16];
  std::snprintf(head, sizeof head, "%03d  ", index + 1);
  std::string line = head;
  for (int w = 0; w < 5; ++w) {
    line += kWords[(index * 7 + w * 3 + index / 3) % 16];
    line += ' ';
  }
  return line;
}

Rect inset(const Rect& r, int by) { return {r.x + by, r.y + by, r.w - 2 * by, r.h - 2 * by}; }

}  // namespace

bool load_fonts(const Layout& layout, Fonts& out, std::string& error) {
  out.mono = std::make_unique<Font>(kMonoFont, layout.editor_font_px, error);
  if (!out.mono->ok()) return false;
  out.sans = std::make_unique<Font>(kSansFont, layout.ui_font_px, error);
  if (!out.sans->ok()) {
    error.clear();
    out.sans = std::make_unique<Font>(kSansFallback, layout.ui_font_px, error);
  }
  return out.sans->ok();
}

Renderer::Renderer(const Layout& layout, const Fonts& fonts) : layout_(layout), fonts_(fonts) {
  Canvas wall{layout.width_px, layout.height_px, std::vector<uint8_t>(static_cast<size_t>(layout.width_px) * layout.height_px * 3)};
  for (int y = 0; y < layout.height_px; ++y) {
    double f = y / static_cast<double>(layout.height_px);
    Rgb row{static_cast<uint8_t>(28 + 30 * f), static_cast<uint8_t>(70 + 60 * f), static_cast<uint8_t>(120 + 40 * f)};
    wall.fill({0, y, layout.width_px, 1}, row);
  }
  // A few desktop icons along the right edge.
  int icon = std::max(8, static_cast<int>(std::lround(48 * layout.scale)));
  for (int i = 0; i < 3; ++i) {
    Rect r{layout.width_px - icon - icon / 3, layout.menu_bar.h + icon / 2 + i * icon * 3 / 2, icon, icon};
    wall.fill(r, Rgb{static_cast<uint8_t>(200 - 40 * i), static_cast<uint8_t>(180 + 20 * i), 90});
  }
  background_ = std::move(wall.rgb);
}

void Renderer::render(const DesktopState& state, int64_t t_us, Canvas& canvas) const {
  canvas.rgb = background_;
  const Layout& l = layout_;
  const Font& sans = *fonts_.sans;
  // Menu bar: frontmost app's name, and a spinner no input drives.
  canvas.fill(l.menu_bar, Rgb{242, 242, 245});
  int baseline = l.menu_bar.y + (l.menu_bar.h + sans.ascent_px()) / 2 - 1;
  int pen = l.menu_bar.x + l.menu_bar.h;
  pen = sans.draw(canvas, pen, baseline, state.app == App::Editor ? "TextEdit" : "Chrome", kInk, l.menu_bar);
  sans.draw(canvas, pen + l.menu_bar.h, baseline, "File   Edit   View   Window   Help", kMuted, l.menu_bar);
  int dot = std::max(2, l.menu_bar.h / 8);
  int step = static_cast<int>((t_us / kSpinnerStepUs) % 8);
  for (int i = 0; i < 8; ++i) {
    double angle = i * 0.7853981633974483;
    int cx = l.width_px - 3 * l.menu_bar.h + static_cast<int>(std::lround(std::cos(angle) * dot * 2.5));
    int cy = l.menu_bar.h / 2 + static_cast<int>(std::lround(std::sin(angle) * dot * 2.5));
    uint8_t shade = i == step ? 40 : 170;
    canvas.fill({cx - dot / 2, cy - dot / 2, dot, dot}, Rgb{shade, shade, shade});
  }
  draw_window(state, t_us, canvas);
  draw_overlays(state, canvas);
  draw_cursor(state, canvas);
}

void Renderer::draw_window(const DesktopState& state, int64_t t_us, Canvas& canvas) const {
  const Layout& l = layout_;
  const Font& sans = *fonts_.sans;
  bool editor = state.app == App::Editor;
  canvas.fill(l.title_bar, editor ? Rgb{232, 232, 236} : Rgb{60, 64, 72});
  std::string title = editor ? (state.saved ? "notes.txt - Saved" : "notes.txt - Edited")
                             : (state.browser_tab == 0 ? "Docs - Chrome" : "Issues - Chrome");
  int baseline = l.title_bar.y + (l.title_bar.h + sans.ascent_px()) / 2 - 1;
  sans.draw(canvas, l.title_bar.x + (l.title_bar.w - sans.text_width_px(title)) / 2, baseline, title,
            editor ? kInk : kWhite, l.title_bar);
  canvas.fill(l.toolbar, editor ? Rgb{246, 246, 248} : Rgb{80, 84, 92});
  if (!editor) {
    // The browser covers the editor and document: typing there draws nothing. Two tabs,
    // each its own page; a click on the other tab switches.
    const char* tab_titles[2] = {"Docs", "Issues"};
    for (int i = 0; i < 2; ++i) {
      const Rect& tab = l.browser_tabs[i];
      bool active = state.browser_tab == i;
      canvas.fill(tab, active ? Rgb{250, 250, 250} : Rgb{104, 108, 118});
      int tab_baseline = tab.y + (tab.h + sans.ascent_px()) / 2 - 1;
      sans.draw(canvas, tab.x + sans.ascent_px(), tab_baseline, tab_titles[i], active ? kInk : kWhite, tab);
    }
    Rect page{l.editor.x, l.editor.y, l.window.w, l.editor.h};
    canvas.fill(page, Rgb{250, 250, 250});
    canvas.fill({page.x, page.y, page.w, l.doc_line_px * 2}, state.browser_tab == 0 ? Rgb{66, 133, 244} : Rgb{52, 168, 83});
    const Font& mono = *fonts_.mono;
    for (int i = 0; i < 6; ++i) {
      mono.draw(canvas, page.x + l.doc_line_px, page.y + l.doc_line_px * (3 + i), document_line(60 + i + 30 * state.browser_tab), kMuted, page);
    }
    return;
  }
  const char* labels[kButtonCount] = {"Run", "Save", "Share"};
  for (int i = 0; i < kButtonCount; ++i) {
    const Rect& b = l.buttons[i];
    canvas.fill(b, state.button_on[i] ? Rgb{40, 110, 230} : Rgb{214, 214, 220});
    int text_baseline = b.y + (b.h + sans.ascent_px()) / 2 - 1;
    sans.draw(canvas, b.x + (b.w - sans.text_width_px(labels[i])) / 2, text_baseline, labels[i],
              state.button_on[i] ? kWhite : kInk, b);
  }
  draw_editor(state, t_us, canvas);
  draw_document(state, canvas);
}

void Renderer::draw_editor(const DesktopState& state, int64_t t_us, Canvas& canvas) const {
  const Layout& l = layout_;
  const Font& mono = *fonts_.mono;
  canvas.fill(l.editor, kWhite);
  Rect text_area = inset(l.editor, std::max(2, l.editor_font_px / 2));
  int line_px = mono.pixel_height() + mono.pixel_height() / 4;
  int visible = std::max(1, text_area.h / line_px);
  const auto& lines = state.editor_lines;
  size_t first = lines.size() > static_cast<size_t>(visible) ? lines.size() - visible : 0;
  int pen_end = text_area.x, caret_top = text_area.y;
  for (size_t i = first; i < lines.size(); ++i) {
    int top = text_area.y + static_cast<int>(i - first) * line_px;
    if (state.all_selected) {  // macOS-like selection: light blue behind each line's text
      int width = std::max(mono.text_width_px(lines[i]), l.editor_font_px / 3);
      canvas.fill({text_area.x, top, std::min(width, text_area.w), line_px}, Rgb{179, 215, 255});
    }
    pen_end = mono.draw(canvas, text_area.x, top + mono.ascent_px(), lines[i], kInk, text_area);
    caret_top = top;
  }
  bool caret_on = (t_us / kCaretHalfPeriodUs) % 2 == 0 && !state.palette_open && !state.all_selected;
  if (caret_on) canvas.fill({pen_end + 1, caret_top, std::max(2, l.editor_font_px / 12), mono.pixel_height()}, kInk);
}

void Renderer::draw_document(const DesktopState& state, Canvas& canvas) const {
  const Layout& l = layout_;
  const Font& mono = *fonts_.mono;
  canvas.fill(l.document, Rgb{252, 249, 240});
  int offset_px = state.doc_offset_units * l.scroll_px_per_unit;
  int first = offset_px / l.doc_line_px;
  int shift = offset_px % l.doc_line_px;
  for (int i = first; i < kDocumentLines; ++i) {
    int top = l.document.y + (i - first) * l.doc_line_px - shift;
    if (top >= l.document.y + l.document.h) break;
    if (i % 10 == 0) canvas.fill({l.document.x, std::max(top, l.document.y), l.document.w / 3, 2}, Rgb{200, 120, 60});
    mono.draw(canvas, l.document.x + l.editor_font_px / 2, top + mono.ascent_px() + 2, document_line(i), kInk, l.document);
  }
}

void Renderer::draw_overlays(const DesktopState& state, Canvas& canvas) const {
  const Layout& l = layout_;
  const Font& sans = *fonts_.sans;
  if (state.palette_open) {
    Rect box{l.window.x + l.window.w / 4, l.toolbar.y + l.toolbar.h, l.window.w / 2, l.doc_line_px * 2};
    canvas.fill(box, Rgb{50, 50, 56});
    sans.draw(canvas, box.x + l.doc_line_px / 2, box.y + (box.h + sans.ascent_px()) / 2, "> Show All Commands", kWhite, box);
  }
  if (state.menu_open) {
    int item_px = l.ui_font_px + l.ui_font_px / 2;
    Rect box{static_cast<int>(state.menu_x), static_cast<int>(state.menu_y), l.ui_font_px * 8, item_px * 3 + 4};
    canvas.fill(box, Rgb{70, 70, 76});
    canvas.fill(inset(box, 1), Rgb{238, 238, 242});
    const char* items[] = {"Copy", "Paste", "Inspect"};
    for (int i = 0; i < 3; ++i) {
      sans.draw(canvas, box.x + l.ui_font_px / 2, box.y + 2 + i * item_px + sans.ascent_px() + 2, items[i], kInk, box);
    }
  }
}

void Renderer::draw_cursor(const DesktopState& state, Canvas& canvas) const {
  int cell = layout_.cursor_pixel_px;
  int x0 = static_cast<int>(std::floor(state.cursor_x)), y0 = static_cast<int>(std::floor(state.cursor_y));
  for (size_t row = 0; row < kCursorMask.size(); ++row) {
    for (int col = 0; kCursorMask[row][col]; ++col) {
      char m = kCursorMask[row][col];
      if (m == ' ') continue;
      Rgb colour = m == 'X' ? Rgb{20, 20, 20} : kCursorFill;
      canvas.fill({x0 + col * cell, y0 + static_cast<int>(row) * cell, cell, cell}, colour);
    }
  }
}

}  // namespace idm::synth
