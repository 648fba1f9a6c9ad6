#include "layout.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "config/config_dir.hpp"
#include "io/atomic_write.hpp"
#include "io/frame_io_guard.hpp"

namespace idm::gui {

namespace {

nlohmann::ordered_json read_document(const std::filesystem::path& file, std::string& warning) {
  note_file_access("read", file);
  std::ifstream in(file);
  if (!in) return nlohmann::ordered_json::object();
  std::stringstream text;
  text << in.rdbuf();
  auto document = nlohmann::ordered_json::parse(text.str(), nullptr, false);
  if (!document.is_object()) {
    warning = file.string() + ": not a JSON object; using the default layout";
    return nlohmann::ordered_json::object();
  }
  return document;
}

}  // namespace

std::filesystem::path layout_file_path() { return config_dir() / "layout.json"; }

LayoutSettings load_layout(const std::filesystem::path& file, std::string& warning) {
  LayoutSettings layout;
  auto document = read_document(file, warning);
  auto number = [&](const char* key, float& out) {
    auto it = document.find(key);
    if (it == document.end()) return;
    if (it->is_number() && it->get<double>() >= 0 && it->get<double>() < 20000) out = it->get<float>();
    else warning = file.string() + ": \"" + key + "\" must be a width in pixels";
  };
  auto flag = [&](const char* key, bool& out) {
    auto it = document.find(key);
    if (it == document.end()) return;
    if (it->is_boolean()) out = it->get<bool>();
    else warning = file.string() + ": \"" + key + "\" must be true or false";
  };
  number("browser_width", layout.browser_width);
  number("editor_width", layout.editor_width);
  flag("browser_open", layout.browser_open);
  flag("editor_open", layout.editor_open);
  return layout;
}

bool save_layout(const std::filesystem::path& file, const LayoutSettings& layout, std::string& error) {
  std::string ignored;
  auto document = read_document(file, ignored);
  document["browser_width"] = layout.browser_width;
  document["editor_width"] = layout.editor_width;
  document["browser_open"] = layout.browser_open;
  document["editor_open"] = layout.editor_open;
  std::error_code code;
  std::filesystem::create_directories(file.parent_path(), code);
  return write_file_atomically(file, document.dump(2) + "\n", error);
}

LayoutRects compute_layout(const LayoutSettings& layout, float width, float height, float timeline_height) {
  LayoutRects rects;
  if (layout.full_video) {
    rects.middle_width = width;
    rects.bottom_height = std::min(34.0f, height * 0.2f);  // the play controls only
    rects.video_height = height - rects.bottom_height;
    return rects;
  }
  // Side panels never take the video's minimum (a third of the window, at least 240 px).
  float video_min = std::max(240.0f, width / 3);
  float side_room = std::max(0.0f, width - video_min - 2 * kSplitterWidth);
  // Small screens (under 1500 px) get the compact layout: the side panels give way to the video.
  float browser_max = width < 1500 ? std::max(160.0f, width * 0.2f) : side_room * 0.5f;
  float editor_max = width < 1500 ? std::max(200.0f, width * 0.26f) : side_room;
  rects.browser_width = layout.browser_open ? std::clamp(layout.browser_width, 160.0f, std::max(160.0f, std::min(browser_max, side_room * 0.5f)))
                                            : kCollapsedStripWidth;
  rects.editor_width = layout.editor_open
                           ? std::clamp(layout.editor_width, 200.0f, std::max(200.0f, std::min(editor_max, side_room - rects.browser_width)))
                           : kCollapsedStripWidth;
  rects.middle_width = std::max(1.0f, width - rects.browser_width - rects.editor_width - 2 * kSplitterWidth);
  // The bottom follows the timeline's lanes; Metrics, Plots and the Log get half the height.
  float wanted = layout.wide_bottom ? std::max(timeline_height, height * 0.5f) : timeline_height;
  rects.bottom_height = std::clamp(wanted, std::min(120.0f, height * 0.4f), height * 0.6f);
  rects.video_height = std::max(1.0f, height - rects.bottom_height);
  return rects;
}

}  // namespace idm::gui
