#pragma once
// The window's layout: the browser and the editor are side panels that collapse to a strip, the
// video fills the middle above the bottom tabs, and full-video mode hides everything else.
// Widths and open/closed survive restarts in config_dir()/layout.json (written atomically, at
// exit, outside any frame). Main thread only.
#include <filesystem>
#include <string>

namespace idm::gui {

struct LayoutSettings {
  bool browser_open = true;
  bool editor_open = true;
  float browser_width = 300.0f;  // px, when open
  float editor_width = 360.0f;
  bool full_video = false;       // not remembered: a session's choice
  bool wide_bottom = false;      // the bottom tab shown needs room (Metrics, Plots, Log); set while drawing
};

std::filesystem::path layout_file_path();
// Missing or unreadable file: the defaults (a problem is returned in `warning`, nothing thrown).
LayoutSettings load_layout(const std::filesystem::path& file, std::string& warning);
// Keeps keys it does not know that the file already had.
bool save_layout(const std::filesystem::path& file, const LayoutSettings& layout, std::string& error);

// Pixel sizes of the three columns and the bottom area for a content region.
struct LayoutRects {
  float browser_width = 0;  // the strip's width when collapsed
  float editor_width = 0;
  float middle_width = 0;
  float video_height = 0;
  float bottom_height = 0;
};
constexpr float kCollapsedStripWidth = 22.0f;
constexpr float kSplitterWidth = 6.0f;
// `timeline_height`: what the bottom area needs to show every lane without scrolling.
LayoutRects compute_layout(const LayoutSettings& layout, float width, float height, float timeline_height);

}  // namespace idm::gui
