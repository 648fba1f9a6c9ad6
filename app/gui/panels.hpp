#pragma once
// One function per panel; each draws from AppState and records what the user asked for.
#include <string>
#include <vector>

#include "app_state.hpp"
#include "overlay.hpp"

namespace idm::render {
class Texture;
}

namespace idm::gui {

struct PanelRequests {
  int select_clip = -1;    // a row was clicked
  int seek_frame = -1;     // the timeline was clicked or dragged
  int native_frame = -1;   // the timeline was scrubbed, zoomed in, between grid frames
  int select_gt = -1;      // a GT item was clicked in a lane (its label index; editor, issue 7)
};

// UI-only state that survives between frames (kept out of statics).
struct BrowserUi {
  char filter[128] = {};
  std::string tag;         // only clips with this tag; empty: every tag
  std::vector<int> order;  // clip indices in the order shown (sorted, filtered); Up/Down walk it
  // Triage (issue 6): per-type F1 columns per source, and filters.
  bool per_type_columns = false;
  bool only_with_fn = false;      // clips where any source has a false negative
  bool only_f1_below = false;     // clips where any source's F1 is below the threshold
  float f1_threshold = 0.8f;
};

// Zoom (1 = fit) and pan (screen pixels) of the video view.
struct VideoUi {
  float zoom = 1.0f;
  float pan_x = 0.0f;
  float pan_y = 0.0f;
  OverlaySettings overlays;  // arrows, keycast, scroll gauge (View menu), anchor
};

// The timeline's visible range in grid-frame units (frame k spans k-0.5 .. k+0.5).
// visible_frames <= 0 means "fit the whole clip".
struct TimelineUi {
  double left = -0.5;
  double visible_frames = 0.0;
  bool fitted() const { return visible_frames <= 0.0; }
};

void draw_browser(const AppState& state, BrowserUi& ui, PanelRequests& requests);
void draw_video(const AppState& state, render::Texture& texture, VideoUi& ui);
void draw_timeline(const AppState& state, TimelineUi& ui, PanelRequests& requests);

}  // namespace idm::gui
