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
  std::vector<int> run_model_on;  // the browser's context menu asked for a model run on these clips
};

// UI-only state that survives between frames (kept out of statics).
struct BrowserUi {
  char filter[128] = {};
  std::string tag;         // only clips with this tag; empty: every tag
  std::vector<int> order;  // clip indices in the order shown (sorted, filtered); Up/Down walk it
  // Clips marked with Ctrl+click (toggle) and Shift+click (range in the shown order), for
  // "run the model on these". A plain click clears the marks. Marks outlive filtering.
  std::vector<int> marked;  // sorted clip indices
  int mark_anchor = -1;     // where a Shift+click range starts
  std::string marks_dataset;  // the dataset the marks belong to: another one clears them
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
bool is_marked(const BrowserUi& ui, int clip_index);
// The marked clips in the browser's shown order, then any marked clips the filter hides.
std::vector<int> marked_in_order(const BrowserUi& ui);
void draw_video(const AppState& state, render::Texture& texture, VideoUi& ui);
void draw_timeline(const AppState& state, TimelineUi& ui, PanelRequests& requests);

}  // namespace idm::gui
