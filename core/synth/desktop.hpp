#pragma once
// The simulated desktop: input events change its state, the renderer draws the state, and
// every change is recorded as an Effect so labels can say what was actually drawn.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "model/actions.hpp"
#include "synth/layout.hpp"
#include "synth/script.hpp"

namespace idm::synth {

struct DesktopState {
  std::vector<std::string> editor_lines;
  int doc_offset_units = 0;
  double cursor_x = 0.0, cursor_y = 0.0;
  App app = App::Editor;
  std::array<bool, kButtonCount> button_on{};
  bool menu_open = false;
  double menu_x = 0.0, menu_y = 0.0;
  bool palette_open = false;
  bool saved = false;
  bool all_selected = false;  // Cmd+A: typing replaces everything, Backspace clears it
  int browser_tab = 0;        // which of the browser's two tabs is shown
};

// What one logged input did, keyed the way canonical GT names it.
struct Effect {
  int64_t t_us = 0;
  ActionType type = ActionType::KeyPress;
  std::string detail;  // GT spelling: "Cmd+Shift+P", "Left", "up"
  bool drawn = false;  // the change is visible in the frames that follow
  bool repeat = false; // auto-repeat of a held key
  // What the user really pressed, when a modifier held since before the clip is missing from
  // the log (and so from `detail`): "Shift+O" where the log says "O". Empty otherwise.
  std::string held_detail;
};

constexpr int kDocumentLines = 120;

class Desktop {
 public:
  Desktop(const Layout& layout, const InitialState& initial);
  // Applies one event; logged key/button/scroll events append their Effect.
  void apply(const InputEvent& event, std::vector<Effect>& effects);
  const DesktopState& state() const { return state_; }

 private:
  void press_key(const InputEvent& event, std::vector<Effect>& effects);
  bool type_key(const std::string& name);
  bool mouse_press(const InputEvent& event);
  bool editor_accepts_typing() const { return state_.app == App::Editor && !state_.palette_open; }
  int max_doc_units() const;

  const Layout& layout_;
  DesktopState state_;
  // Physical modifiers (what the app sees) and the logged set as the GT filter tracks it:
  // they differ when capture stops or a press happened before the clip.
  bool shift_ = false, cmd_ = false, ctrl_ = false, alt_ = false;
  bool log_shift_ = false, log_cmd_ = false, log_ctrl_ = false, log_alt_ = false;
  std::vector<std::string> log_held_;  // mapped names of keys the GT filter holds
};

}  // namespace idm::synth
