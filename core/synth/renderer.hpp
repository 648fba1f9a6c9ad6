#pragma once
// Draws a DesktopState into an RGB canvas. Everything that differs between two frames comes
// from the state or from the clock (caret blink, spinner): nothing random at draw time.
#include <cstdint>
#include <memory>
#include <string>

#include "synth/desktop.hpp"
#include "media/font.hpp"
#include "synth/layout.hpp"

namespace idm::synth {

using media::Font;

// The cursor sprite's fill colour: used nowhere else, so a test can find the pointer.
constexpr Rgb kCursorFill{255, 0, 255};

struct Fonts {
  std::unique_ptr<Font> mono;  // editor and document text
  std::unique_ptr<Font> sans;  // menus, titles, buttons
};

// Loads DejaVu from the Debian font package; false with error when missing.
bool load_fonts(const Layout& layout, Fonts& out, std::string& error);

class Renderer {
 public:
  Renderer(const Layout& layout, const Fonts& fonts);
  void render(const DesktopState& state, int64_t t_us, Canvas& canvas) const;

 private:
  void draw_window(const DesktopState& state, int64_t t_us, Canvas& canvas) const;
  void draw_editor(const DesktopState& state, int64_t t_us, Canvas& canvas) const;
  void draw_document(const DesktopState& state, Canvas& canvas) const;
  void draw_overlays(const DesktopState& state, Canvas& canvas) const;
  void draw_cursor(const DesktopState& state, Canvas& canvas) const;

  const Layout& layout_;
  const Fonts& fonts_;
  std::vector<uint8_t> background_;  // desktop wallpaper, drawn once
};

}  // namespace idm::synth
