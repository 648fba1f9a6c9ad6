#pragma once
// The RSV mode's window: browser, video panes (a pair side by side with |A - B|), pose
// minimap, action-lane timeline, endpoints panel. Each draws from `const AppState&` and
// appends commands; what lives here is UI-only (filters, textures, the draw data tests read).
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <imgui.h>

#include "app_state.hpp"
#include "config/keymap.hpp"
#include "texture.hpp"

namespace idm::gui {

struct NotificationUi;
struct TaskInfo;

// A GPU copy of one decoded frame (or a difference image), re-uploaded when its source changes.
struct RsvTexture {
  render::Texture texture;
  const void* source = nullptr;  // what was uploaded (frame pointer, or a difference's key)
  float key = 0.0f;              // extra key (the gain of a difference)
  const void* source_b = nullptr;
  double mean_level = 0.0;       // a difference's mean over its pixels, 0..255 before the gain
};

// What the minimap drew on its last frame, in screen pixels (tests print it: rsv_debug_lines).
struct RsvMinimapDraw {
  bool drawn = false;
  std::string item;
  int frame = -1;
  double pose_x_cm = 0.0, pose_y_cm = 0.0, pose_yaw_deg = 0.0;
  float current_x = 0.0f, current_y = 0.0f;  // the current pose's marker
  size_t path_points = 0;                    // of the first member
  bool residual_drawn = false;
  double residual_cm = 0.0;
  float residual_x0 = 0, residual_y0 = 0, residual_x1 = 0, residual_y1 = 0;
};

struct RsvUi {
  // Browser
  char filter[128] = {};
  int split = 0;      // 0: every split, else splits[split - 1]
  int relation = 0;   // 0: every relation, 1 inverse, 2 loop, 3 equivalence
  bool failures_only = false;
  std::vector<int> order;  // item indices in the order shown
  // Video panes
  float gain = 4.0f;  // |A - B| multiplier
  bool path_overlay = true;  // the next steps projected onto the floor of the video
  RsvTexture frame_a, frame_b, difference;
  RsvTexture endpoint_s, endpoint_e, endpoint_difference;
  std::shared_ptr<const RgbFrame> shown;  // the frame --dump-frame writes (member A / the single trajectory)
  // Minimap
  RsvMinimapDraw minimap;
  float minimap_zoom = 1.0f;
  float minimap_pan_x = 0.0f, minimap_pan_y = 0.0f;
  int first_frames = 0;  // --tab on the first frames only
  std::string tab;       // endpoints | timeline | log
  // The timeline's hovered step (-1: none) and its mirror in an inverse trajectory.
  int hovered_step = -1;
};

// The whole RSV window body below the menu bar.
void draw_rsv_main(const AppState& state, RsvUi& ui, NotificationUi& notifications, CommandQueue& commands);
void draw_rsv_browser(const AppState& state, RsvUi& ui, CommandQueue& commands);
void draw_rsv_timeline(const AppState& state, RsvUi& ui, CommandQueue& commands);
void draw_rsv_minimap(const AppState& state, RsvUi& ui, CommandQueue& commands);
void draw_rsv_endpoints(const AppState& state, RsvUi& ui, CommandQueue& commands);
void handle_rsv_keys(const AppState& state, const RsvUi& ui, const KeyMap& keys, CommandQueue& commands);

// Uploads `frame` as RGBA when it is not what `slot` shows.
void upload_rsv_frame(RsvTexture& slot, const std::shared_ptr<const RgbFrame>& frame);
// |a - b| * gain per channel into `slot` (re-made when a, b or gain change).
void upload_rsv_difference(RsvTexture& slot, const std::shared_ptr<const RgbFrame>& a, const std::shared_ptr<const RgbFrame>& b, float gain);
// Draws a texture fitted into a box of `size` (keeps the aspect); returns the image's rectangle.
void draw_rsv_image(const RsvTexture& slot, ImVec2 size, const char* empty_text);

// The pose frame `frame` shows (the step's start -> actual end, at the phase's fraction).
// Needs meta.steps non-empty.
rsv::Pose rsv_pose_at(const rsv::RsvMeta& meta, int frame, rsv::FramePhase phase);
// Draws the next steps' positions projected onto the floor (rsv.md §3's camera: 79° HFOV, eye
// 148 cm above the floor) over a video image drawn in [image_min, image_max].
void draw_rsv_path_overlay(const rsv::RsvMeta& meta, int frame, rsv::FramePhase phase, ImVec2 image_min, ImVec2 image_max);

// Colour and glyph of an action's class (translation, turn, look, no_op).
ImU32 rsv_action_colour(const std::string& action);
const char* rsv_action_glyph(const std::string& action);

// Writes the shown frame as PNG (--dump-frame); false with a message on stderr.
bool rsv_dump_frame(const RsvUi& ui, const std::string& path);
// What the RSV panels drew, one fact per line (printed on exit for scripts and tests).
void print_rsv_debug(const AppState& state, const RsvUi& ui, std::FILE* out);

}  // namespace idm::gui
