#pragma once
// The GUI viewer: `idmscope [DATASET] [--predictions SRC]... [--clip KEY] [--frame N]`.
#include <optional>
#include <string>
#include <vector>

namespace idm::gui {

struct ViewerOptions {
  std::string dataset;                   // empty: an empty window with a hint
  std::vector<std::string> predictions;  // results files or per-clip folders
  std::string profile = "protocol";
  std::string clip_key;                  // start on this clip (default: the first)
  int grid_frame = 0;
  int native_source_frame = -1;          // start on this native frame instead (-1: the grid)
  std::string tab = "timeline";          // bottom tab shown first: timeline, metrics, plots or log
  std::optional<std::string> screenshot;  // save the window as PNG once the frame is shown, then quit
  std::optional<std::string> frame_dump;  // with screenshot: also save the shown frame as converted on the GPU
  bool stats = false;                     // print UI frame-time percentiles on exit
  bool play = false;                      // start playing (benchmarks, demos)
  double quit_after_s = 0.0;              // > 0: close the window after this long (benchmarks)
  int width = 1600;
  int height = 1000;
};

int run_viewer(const ViewerOptions& options);

}  // namespace idm::gui
