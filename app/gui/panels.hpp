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
  // Triage: per-type F1 heat-map cells per source, and filters.
  bool per_type_columns = false;
  bool only_with_fn = false;      // clips where any source has a false negative
  bool only_f1_below = false;     // clips where any source's F1 is below the threshold
  float f1_threshold = 0.8f;
  int worst_type = -1;            // >= 0: rows sorted by the worst F1 of this type (n/a last)
  bool sorted_once = false;       // the table's first sort spec is its default, not a click
  float name_width = 0;           // the clip column's width: the longest name, measured once
  std::string name_width_for;     // per dataset (path and clip count)
};

// Zoom (1 = fit) and pan (screen pixels) of the video view.
struct VideoUi {
  float zoom = 1.0f;
  float pan_x = 0.0f;
  float pan_y = 0.0f;
  OverlaySettings overlays;  // arrows, keycast, scroll gauge (View menu), anchor
  int clip = -1;             // the clip the zoom belongs to: another clip starts fitted
  // Where the frame was drawn last (screen px), reported with --screenshot.
  float drawn_min_x = 0, drawn_min_y = 0, drawn_max_x = 0, drawn_max_y = 0;
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
// The height the timeline needs to show all its lanes (it grows with the sources).
float timeline_height(const AppState& state);

}  // namespace idm::gui
