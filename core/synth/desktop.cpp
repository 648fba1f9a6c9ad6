#include "synth/desktop.hpp"

#include <algorithm>

#include "gt/key_names.hpp"
#include "synth/keymap.hpp"

namespace idm::synth {

Desktop::Desktop(const Layout& layout, const InitialState& initial) : layout_(layout) {
  state_.editor_lines = initial.editor_lines;
  state_.doc_offset_units = initial.doc_offset_units;
  state_.cursor_x = initial.cursor_x;
  state_.cursor_y = initial.cursor_y;
  state_.app = initial.app;
}

int Desktop::max_doc_units() const {
  int content_px = kDocumentLines * layout_.doc_line_px - layout_.document.h;
  return std::max(0, content_px / layout_.scroll_px_per_unit);
}

bool Desktop::type_key(const std::string& name) {
  if (!editor_accepts_typing()) return false;
  auto& lines = state_.editor_lines;
  if (state_.all_selected) {
    bool types = name == "Return" || name == "Backspace" || char_for_key(name, shift_) != 0;
    if (!types) return false;
    state_.all_selected = false;  // the selection is replaced
    lines = {""};
    if (name == "Backspace") return true;
  }
  if (name == "Return") {
    lines.emplace_back();
    return true;
  }
  if (name == "Backspace") {
    if (!lines.back().empty()) lines.back().pop_back();
    else if (lines.size() > 1) lines.pop_back();
    else return false;
    return true;
  }
  char c = char_for_key(name, shift_);
  if (!c) return false;
  lines.back().push_back(c);
  return true;
}

namespace {

// Modifiers in the reference filter's order: Cmd, Ctrl, Alt, Shift.
std::string key_detail(bool cmd, bool ctrl, bool alt, bool shift, const std::string& key) {
  return std::string(cmd ? "Cmd+" : "") + (ctrl ? "Ctrl+" : "") + (alt ? "Alt+" : "") + (shift ? "Shift+" : "") + key;
}

}  // namespace

void Desktop::press_key(const InputEvent& event, std::vector<Effect>& effects) {
  std::string mapped = map_key_name(event.name);
  Modifier modifier = modifier_of(mapped);
  bool* physical[] = {nullptr, &shift_, &ctrl_, &alt_, nullptr, &cmd_};
  bool* logged[] = {nullptr, &log_shift_, &log_ctrl_, &log_alt_, nullptr, &log_cmd_};
  int m = static_cast<int>(modifier);
  bool pressed = event.kind == InputKind::KeyPress;
  if (modifier != Modifier::None) {
    if (physical[m]) *physical[m] = pressed;
    if (event.logged && logged[m]) *logged[m] = pressed;
    return;
  }
  if (!pressed) {
    if (event.logged) std::erase(log_held_, mapped);
    return;
  }
  // The app's reaction, from the physical modifiers.
  bool drawn = false;
  if (cmd_ && event.name == "Tab") {
    state_.app = state_.app == App::Editor ? App::Browser : App::Editor;
    drawn = true;
  } else if (cmd_ && shift_ && event.name == "KeyP") {
    state_.palette_open = !state_.palette_open;
    drawn = true;
  } else if (cmd_ && event.name == "KeyA") {
    bool has_text = state_.editor_lines.size() > 1 || !state_.editor_lines.front().empty();
    drawn = state_.app == App::Editor && !state_.palette_open && has_text && !state_.all_selected;
    if (state_.app == App::Editor && !state_.palette_open) state_.all_selected = has_text;
  } else if (cmd_ && event.name == "KeyS") {
    drawn = !state_.saved;
    state_.saved = true;
  } else if (cmd_ || ctrl_) {
    drawn = false;
  } else if (event.name == "Escape") {
    drawn = state_.palette_open;
    state_.palette_open = false;
  } else {
    drawn = type_key(event.name);
    if (drawn) state_.saved = false;
  }
  if (!event.logged) return;
  // The GT detail as the reference filter spells it (from the logged modifiers), and what was
  // really held (a modifier pressed before the clip is not in the log).
  std::string detail = key_detail(log_cmd_, log_ctrl_, log_alt_, log_shift_, mapped);
  std::string physical_detail = key_detail(cmd_, ctrl_, alt_, shift_, mapped);
  bool held = std::find(log_held_.begin(), log_held_.end(), mapped) != log_held_.end();
  if (!held) log_held_.push_back(mapped);
  effects.push_back({event.t_us, ActionType::KeyPress, detail, drawn, held, physical_detail != detail ? physical_detail : ""});
}

bool Desktop::mouse_press(const InputEvent& event) {
  if (event.name == "Right") {
    state_.menu_open = true;
    state_.menu_x = state_.cursor_x;
    state_.menu_y = state_.cursor_y;
    return true;
  }
  if (event.name != "Left") return false;  // back/forward buttons: nothing on screen
  if (state_.menu_open) {
    state_.menu_open = false;
    return true;
  }
  if (state_.app == App::Browser) {
    for (int i = 0; i < 2; ++i) {
      if (layout_.browser_tabs[i].contains(state_.cursor_x, state_.cursor_y) && state_.browser_tab != i) {
        state_.browser_tab = i;  // a tab switch: another page is shown
        return true;
      }
    }
    return false;
  }
  if (state_.all_selected && layout_.editor.contains(state_.cursor_x, state_.cursor_y)) {
    state_.all_selected = false;  // a click in the text drops the selection
    return true;
  }
  for (int i = 0; i < kButtonCount; ++i) {
    if (layout_.buttons[i].contains(state_.cursor_x, state_.cursor_y)) {
      state_.button_on[i] = !state_.button_on[i];
      return true;
    }
  }
  return false;
}

void Desktop::apply(const InputEvent& event, std::vector<Effect>& effects) {
  switch (event.kind) {
    case InputKind::KeyPress:
    case InputKind::KeyRelease:
      press_key(event, effects);
      break;
    case InputKind::MousePress: {
      bool drawn = mouse_press(event);
      if (event.logged && event.name != "Other") effects.push_back({event.t_us, ActionType::MouseClick, event.name, drawn, false, ""});
      break;
    }
    case InputKind::MouseRelease:
      break;
    case InputKind::MouseMove:
      state_.cursor_x = std::clamp(state_.cursor_x + event.dx, 0.0, layout_.width_px - 1.0);
      state_.cursor_y = std::clamp(state_.cursor_y + event.dy, 0.0, layout_.height_px - 1.0);
      break;
    case InputKind::MouseScroll: {
      int before = state_.doc_offset_units;
      // dy > 0 is "up": towards the top of the page.
      state_.doc_offset_units = std::clamp(before - static_cast<int>(event.dy), 0, max_doc_units());
      if (event.logged && event.dy != 0) {
        effects.push_back({event.t_us, ActionType::MouseScroll, event.dy > 0 ? "up" : "down",
                           state_.doc_offset_units != before, false, ""});
      }
      break;
    }
    case InputKind::Context:
      if (event.name == "UNCAPTURED") {
        log_shift_ = log_cmd_ = log_ctrl_ = log_alt_ = false;
        log_held_.clear();
      }
      break;
  }
}

}  // namespace idm::synth
