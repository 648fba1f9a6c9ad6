#include "synth/script.hpp"

#include <algorithm>
#include <cmath>

#include "synth/keymap.hpp"
#include "synth/rng.hpp"

namespace idm::synth {

namespace {

constexpr int64_t kLastInputUs = 4'750'000;  // leave the clip's tail for the final frames
constexpr int64_t kMouseSampleUs = 8'000;    // 125 Hz pointer reports: many per grid frame

const char* kPhrases[] = {"Hello, World. ", "Meet at 10; bring 3 maps. ", "The Quick fox! ", "id = 42/7 ok? ",
                          "Dear Ana, thanks. ", "ls -la /tmp "};

// Builds events in time order while tracking where the pointer is, so it can aim at buttons.
class Builder {
 public:
  Builder(const Layout& layout, uint64_t seed, ClipScript& out) : layout_(layout), rng_(seed), out_(out) {
    x_ = out.initial.cursor_x;
    y_ = out.initial.cursor_y;
  }

  Rng& rng() { return rng_; }
  bool has_time(int64_t needed_us) const { return t_ + needed_us < kLastInputUs; }
  void wait(int64_t lo_us, int64_t hi_us) { t_ += rng_.range(lo_us, hi_us); }

  void key(InputKind kind, const std::string& name, bool logged = true, bool repeat = false) {
    InputEvent e;
    e.t_us = t_;
    e.kind = kind;
    e.name = name;
    e.logged = logged;
    e.repeat = repeat;
    out_.events.push_back(e);
  }

  // A press and a release with a human hold time; Shift around it when the character needs it.
  void tap(const std::string& name, bool shift, bool logged = true) {
    if (shift) {
      key(InputKind::KeyPress, "ShiftLeft", logged);
      wait(30'000, 70'000);
    }
    key(InputKind::KeyPress, name, logged);
    wait(45'000, 120'000);
    key(InputKind::KeyRelease, name, logged);
    if (shift) {
      wait(10'000, 40'000);
      key(InputKind::KeyRelease, "ShiftLeft", logged);
    }
  }

  void type(const std::string& text, bool logged = true) {
    for (char c : text) {
      if (!has_time(250'000)) return;
      auto stroke = key_for_char(c);
      if (!stroke) continue;
      tap(stroke->rdev_name, stroke->shift, logged);
      wait(40'000, 110'000);
    }
  }

  // Held key with OS auto-repeat: repeated KeyPress, one release.
  void hold_with_repeat(const std::string& name, int repeats) {
    key(InputKind::KeyPress, name);
    wait(380'000, 450'000);  // initial repeat delay
    for (int i = 0; i < repeats && has_time(60'000); ++i) {
      key(InputKind::KeyPress, name, true, true);
      wait(33'000, 36'000);
    }
    key(InputKind::KeyRelease, name);
    wait(80'000, 150'000);
  }

  void hotkey(const std::vector<std::string>& modifiers, const std::string& name) {
    for (const auto& m : modifiers) {
      key(InputKind::KeyPress, m);
      wait(40'000, 90'000);
    }
    tap(name, false);
    for (auto it = modifiers.rbegin(); it != modifiers.rend(); ++it) {
      wait(20'000, 60'000);
      key(InputKind::KeyRelease, *it);
    }
    wait(150'000, 250'000);
  }

  void context(const std::string& app, bool logged = true) {
    InputEvent e;
    e.t_us = t_;
    e.kind = InputKind::Context;
    e.name = app;
    e.logged = logged;
    out_.events.push_back(e);
  }

  // Glides the pointer to (x, y) with eased motion, in quarter-point float deltas.
  void move_to(double x, double y, int64_t duration_us) {
    int steps = std::max<int>(2, static_cast<int>(duration_us / kMouseSampleUs));
    double start_x = x_, start_y = y_;
    for (int i = 1; i <= steps; ++i) {
      double f = i / static_cast<double>(steps);
      double eased = f * f * (3 - 2 * f);
      double want_x = start_x + (x - start_x) * eased, want_y = start_y + (y - start_y) * eased;
      double dx = std::round((want_x - x_) * 4) / 4, dy = std::round((want_y - y_) * 4) / 4;
      t_ += kMouseSampleUs + rng_.range(-1500, 1500);
      if (dx == 0 && dy == 0) continue;
      InputEvent e;
      e.t_us = t_;
      e.kind = InputKind::MouseMove;
      e.dx = dx;
      e.dy = dy;
      out_.events.push_back(e);
      x_ += dx;
      y_ += dy;
    }
  }

  void move_to(const Rect& target, int64_t duration_us) {
    double jx = rng_.range(-target.w / 4, target.w / 4), jy = rng_.range(-target.h / 4, target.h / 4);
    move_to(target.center_x() + jx, target.center_y() + jy, duration_us);
  }

  // A small idle drift, as a resting hand produces.
  void drift() {
    double s = layout_.scale;
    move_to(x_ + rng_.range(-40, 40) * s, y_ + rng_.range(-30, 30) * s, rng_.range(120'000, 260'000));
  }

  void button(InputKind kind, const std::string& name, int other = 0) {
    InputEvent e;
    e.t_us = t_;
    e.kind = kind;
    e.name = name;
    e.other_button = other;
    out_.events.push_back(e);
  }

  void click(const std::string& name, int other = 0) {
    button(InputKind::MousePress, name, other);
    wait(60'000, 130'000);
    button(InputKind::MouseRelease, name, other);
    wait(150'000, 300'000);
  }

  // A burst of wheel events; `units` > 0 scrolls up.
  void scroll(int units, int per_event = 1) {
    int sign = units > 0 ? 1 : -1;
    for (int done = 0; done < std::abs(units) && has_time(40'000); done += per_event) {
      InputEvent e;
      e.t_us = t_;
      e.kind = InputKind::MouseScroll;
      e.dy = sign * std::min(per_event, std::abs(units) - done);
      out_.events.push_back(e);
      wait(18'000, 35'000);
    }
    wait(200'000, 350'000);
  }

  void drag_by(double dx, double dy) {
    button(InputKind::MousePress, "Left");
    wait(40'000, 80'000);
    move_to(x_ + dx, y_ + dy, 400'000);
    button(InputKind::MouseRelease, "Left");
    wait(120'000, 200'000);
  }

  const std::string& phrase() { return phrases_[static_cast<size_t>(rng_.range(0, static_cast<int64_t>(phrases_.size()) - 1))]; }

 private:
  const Layout& layout_;
  Rng rng_;
  ClipScript& out_;
  int64_t t_ = 0;
  double x_ = 0, y_ = 0;
  std::vector<std::string> phrases_{std::begin(kPhrases), std::end(kPhrases)};
};

void keystroke_heavy(Builder& b, const Layout&) {
  b.wait(60'000, 200'000);
  b.type(b.phrase());
  b.hold_with_repeat("Backspace", 5);
  b.type("\n" + b.phrase());
}

void scroll_drag(Builder& b, const Layout& l) {
  b.move_to(l.document, 500'000);
  b.wait(0, 200'000);  // a human pause: the first notch lands anywhere within a grid frame
  b.scroll(-6);
  b.scroll(3);   // direction flip
  b.scroll(-4, 2);
  b.drag_by(120 * l.scale, 50 * l.scale);
  b.scroll(14);  // runs into the top of the page: the last units move nothing
}

void click_heavy(Builder& b, const Layout& l) {
  for (int i = 0; i < kButtonCount; ++i) {
    b.move_to(l.buttons[i], 300'000);
    b.click("Left");
  }
  b.move_to(l.document, 300'000);
  b.click("Right");  // opens a context menu
  b.move_to(l.editor, 300'000);
  b.click("Left");   // closes it
  b.click("Other", 4);
  b.move_to(l.buttons[1], 250'000);
  b.click("Left");
}

void mixed(Builder& b, const Layout& l) {
  b.type("ok ");
  b.move_to(l.buttons[b.rng().range(0, 2)], 300'000);
  b.click("Left");
  b.move_to(l.document, 300'000);
  b.scroll(-3);
  b.move_to(l.editor, 300'000);
  b.click("Left");
  b.type("Done.");
}

void hotkeys(Builder& b, const Layout& l) {
  b.wait(80'000, 150'000);
  b.hotkey({"MetaLeft"}, "KeyS");                // save: the title shows "Saved"
  b.hotkey({"ShiftLeft", "MetaLeft"}, "KeyP");   // command palette
  b.tap("Escape", false);
  b.wait(100'000, 200'000);
  b.hotkey({"MetaLeft"}, "Tab");                 // switch to the browser
  b.context("com.google.Chrome");
  b.move_to(l.browser_tabs[1], 250'000);         // a click on the second tab switches the page
  b.click("Left");
  b.type("abc");                                 // typed into a hidden editor: no effect
  b.hotkey({"MetaLeft"}, "Tab");
  b.context("com.apple.TextEdit");
  b.type("Hi");
  b.hotkey({"MetaLeft"}, "KeyA");                // select all: the text is highlighted
  b.wait(100'000, 200'000);
  b.type("Done");                                // replaces the selection
}

void hard_case(Builder& b, const Layout& l) {
  b.key(InputKind::KeyPress, "ShiftLeft", false);  // held since before the clip: no press logged
  b.wait(30'000, 50'000);
  b.type("o");                                     // drawn as "O": the override adds the Shift back
  b.wait(60'000, 90'000);
  b.key(InputKind::KeyRelease, "ShiftLeft");
  b.wait(100'000, 150'000);
  b.type("k");
  b.key(InputKind::KeyPress, "KeyQ");             // a very short tap inside one grid frame
  b.wait(15'000, 25'000);
  b.key(InputKind::KeyRelease, "KeyQ");
  b.wait(100'000, 150'000);
  b.hold_with_repeat("Backspace", 6);
  b.key(InputKind::KeyPress, "KeyZ");             // still held when capture stops
  b.wait(60'000, 90'000);
  b.context("UNCAPTURED");
  b.wait(50'000, 80'000);
  b.key(InputKind::KeyRelease, "KeyZ", false);
  b.type("xy", false);                            // typed while not recorded: drawn, not logged
  b.context("com.apple.TextEdit");
  b.move_to(l.document, 300'000);
  b.click("Other", 4);
  b.scroll(-4, 2);
}

}  // namespace

const std::vector<std::string>& synth_tags() {
  static const std::vector<std::string> tags{"keystroke-heavy", "scroll/drag", "click-heavy", "mixed", "hotkeys", "hard-case"};
  return tags;
}

ClipScript build_clip_script(const std::string& tag, const Layout& layout, uint64_t seed) {
  ClipScript script;
  script.tag = tag;
  Rng setup(seed ^ 0x5EEDull);
  script.initial.editor_lines = {"Notes", "todo: ship the sample"};
  script.initial.doc_offset_units = static_cast<int>(setup.range(1, 3));
  script.initial.cursor_x = layout.width_px * (0.3 + 0.4 * setup.unit());
  script.initial.cursor_y = layout.height_px * (0.35 + 0.3 * setup.unit());
  Builder b(layout, seed, script);
  if (tag == "keystroke-heavy") keystroke_heavy(b, layout);
  else if (tag == "scroll/drag") scroll_drag(b, layout);
  else if (tag == "click-heavy") click_heavy(b, layout);
  else if (tag == "mixed") mixed(b, layout);
  else if (tag == "hotkeys") hotkeys(b, layout);
  else hard_case(b, layout);
  while (b.has_time(300'000)) b.drift();
  std::stable_sort(script.events.begin(), script.events.end(),
                   [](const InputEvent& a, const InputEvent& c) { return a.t_us < c.t_us; });
  return script;
}

}  // namespace idm::synth
