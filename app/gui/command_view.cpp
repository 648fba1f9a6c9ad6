// `idmscope [DATASET] [--predictions SRC]... [--profile P] [--clip KEY] [--frame N]`: the viewer.
#include <signal.h>

#include <cstdio>

#include "cli_args.hpp"
#include "cli_commands.hpp"
#include "gui/viewer.hpp"

namespace idm::cli {

int run_view(int argc, char** argv, int first) {
  // Pipes to a worker or a program that exited are errors on write, never the viewer's death.
  ::signal(SIGPIPE, SIG_IGN);
  Args args(argc, argv, first);
  if (args.wants_help()) {
    std::fputs(
        "usage: idmscope [DATASET] [--predictions SRC]... [--profile reference|protocol|FILE] [--clip KEY] [--frame N]\n"
        "                [--native SOURCE_FRAME] [--screenshot OUT.png [--dump-frame FRAME.png]] [--size WxH]\n"
        "                [--tab timeline|metrics|plots|log|endpoints] [--stats] [--play] [--quit-after S]\n"
        "  Opens the viewer: clip browser, the exact grid frame, and the timeline with GT and each\n"
        "  source's predictions coloured TP/FP/FN. Keys: Left/Right grid frame, Shift+Left/Right native\n"
        "  frame, Home/End, Space play, J/K/L reverse/pause/forward (repeat: faster), [ and ] clip.\n"
        "  Video: wheel zooms around the cursor, drag pans, double-click fits. --native shows a source\n"
        "  frame between grid frames. --screenshot saves the window once the frame is shown, then quits;\n"
        "  --dump-frame also saves the shown video frame at its own size, as the GPU converted it.\n"
        "  --stats prints UI frame-time percentiles (main-thread CPU and wall per frame) on exit;\n"
        "  --play starts playing and --quit-after S closes the window after S seconds (benchmarks).\n"
        "  Overlays (View menu): GT and model displacement arrows from an anchor (click the video),\n"
        "  scroll gauge, keycast badges. N/P next/previous FN or FP, Ctrl+E export PNG, Export menu:\n"
        "  MP4 with overlays, per-clip metrics CSV. Bottom tabs: Timeline, Metrics, Plots, Log (--tab).\n"
        "  An RSV release (a folder of run_*_meta.json files, its split folders or result_dataset/) opens\n"
        "  in RSV mode: --clip <split>/<stem> or a pair's key, --frame a native frame (0..359); keys\n"
        "  Left/Right frame, PageUp/PageDown (, .) step, O partner, X |A - B|, B flicker, [ ] item;\n"
        "  tabs Timeline, Endpoints, Log; on exit with --screenshot/--quit-after it prints what it drew.\n",
        stdout);
    return 0;
  }
  gui::ViewerOptions options;
  options.predictions = args.values("--predictions");
  options.profile = args.value("--profile").value_or("protocol");
  options.clip_key = args.value("--clip").value_or("");
  options.grid_frame = args.int_value("--frame", 0, 0, 100000);
  options.native_source_frame = args.int_value("--native", -1, 0, 10000000);
  options.screenshot = args.value("--screenshot");
  options.frame_dump = args.value("--dump-frame");
  options.stats = args.flag("--stats");
  options.play = args.flag("--play");
  options.quit_after_s = args.int_value("--quit-after", 0, 0, 86400);
  options.tab = args.value("--tab").value_or("timeline");
  if (options.tab != "timeline" && options.tab != "metrics" && options.tab != "plots" && options.tab != "log" && options.tab != "endpoints") {
    throw UsageError{"--tab expects timeline, metrics, plots, log or endpoints (RSV)"};
  }
  if (auto size = args.value("--size")) {
    if (std::sscanf(size->c_str(), "%dx%d", &options.width, &options.height) != 2 || options.width < 320 || options.height < 240) {
      throw UsageError{"--size expects WxH, at least 320x240"};
    }
  }
  auto positionals = args.positionals();
  args.finish();
  if (positionals.size() > 1) throw UsageError{"expected at most one DATASET folder"};
  if (!positionals.empty()) options.dataset = positionals[0];
  return gui::run_viewer(options);
}

}  // namespace idm::cli
