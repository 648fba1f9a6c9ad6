#pragma once
// One function per panel; each draws from AppState and records what the user asked for.
#include "app_state.hpp"

namespace idm::render {
class Texture;
}

namespace idm::gui {

struct PanelRequests {
  int select_clip = -1;  // a row was clicked
  int seek_frame = -1;   // the timeline was clicked or dragged
};

// UI-only state that survives between frames (kept out of statics).
struct BrowserUi {
  char filter[128] = {};
};

void draw_browser(const AppState& state, BrowserUi& ui, PanelRequests& requests);
void draw_video(const AppState& state, render::Texture& texture);
void draw_timeline(const AppState& state, PanelRequests& requests);

}  // namespace idm::gui
