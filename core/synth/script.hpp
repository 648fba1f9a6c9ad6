#pragma once
// What the simulated user does during one clip: a timed list of input events (the future raw
// log) plus the desktop's state when the clip starts.
#include <cstdint>
#include <string>
#include <vector>

#include "synth/layout.hpp"

namespace idm::synth {

enum class InputKind { KeyPress, KeyRelease, MousePress, MouseRelease, MouseMove, MouseScroll, Context };

struct InputEvent {
  int64_t t_us = 0;          // clip-relative time
  InputKind kind = InputKind::KeyPress;
  std::string name;          // rdev key name, button ("Left", "Right", "Other"), or app id
  int other_button = 0;      // for {"Other": n}
  double dx = 0.0, dy = 0.0; // MouseMove points / MouseScroll wheel units (dy > 0 = up)
  bool logged = true;        // false: happened while the recorder was not capturing
  bool repeat = false;       // auto-repeat KeyPress of a held key
};

enum class App { Editor, Browser };

struct InitialState {
  std::vector<std::string> editor_lines;
  int doc_offset_units = 0;
  double cursor_x = 0.0, cursor_y = 0.0;
  App app = App::Editor;
};

constexpr int64_t kClipDurationUs = 5'000'000;

struct ClipScript {
  std::string tag;            // as written in the JSON ("scroll/drag")
  InitialState initial;
  std::vector<InputEvent> events;  // sorted by t_us (stable)
};

// The six tags of the eval card, in the order clips cycle through them.
const std::vector<std::string>& synth_tags();

ClipScript build_clip_script(const std::string& tag, const Layout& layout, uint64_t seed);

}  // namespace idm::synth
