#pragma once
// The help window (F1 or ?): every action with the keys it has now (keys.json applied),
// searchable, and what the timeline's colours and badges mean. Also the legend strip. Main thread.
#include <imgui.h>

#include "config/keymap.hpp"

namespace idm::gui {

struct HelpUi {
  bool open = false;
  char search[64] = {};
};

void handle_help_keys(const KeyMap& keys, HelpUi& ui);
void draw_help_window(const KeyMap& keys, HelpUi& ui);
// One line: the lane colours and the visibility badges, then where help is.
void draw_legend_strip(const KeyMap& keys);
// The chords of an action as shown in menus ("Ctrl+O"); empty when unbound.
std::string shortcut_text(const KeyMap& keys, const char* action);

}  // namespace idm::gui
