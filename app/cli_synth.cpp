// `idmscope synth`: writes the built-in sample dataset.
#include <chrono>
#include <cstdio>
#include <string>

#include "cli_args.hpp"
#include "cli_commands.hpp"
#include "synth/synth.hpp"

extern "C" {
#include <libavutil/log.h>
}

namespace idm::cli {

namespace {

const char* kSynthHelp =
    "usage: idmscope synth OUT_DIR [--clips N] [--seed S] [--fps 30] [--size 1728x1080] [--gop 60] [--threads T]\n"
    "  Renders synthetic desktop recordings (H.264 mp4 + raw action logs), annotations.json,\n"
    "  gt_overrides.json, gesture GT files and two prediction sets (predictions/good, predictions/weak).\n"
    "  The same seed gives the same bytes.\n";

void parse_size(const std::string& text, int& width, int& height) {
  int w = 0, h = 0;
  char extra = 0;
  if (std::sscanf(text.c_str(), "%dx%d%c", &w, &h, &extra) != 2 || w < 64 || h < 64 || w > 7680 || h > 4320 || w % 2 ||
      h % 2) {
    throw UsageError{"--size expects even WIDTHxHEIGHT from 64x64 to 7680x4320, got '" + text + "'"};
  }
  width = w;
  height = h;
}

}  // namespace

int run_synth(int argc, char** argv) {
  Args args(argc, argv, 2);
  if (args.wants_help()) {
    std::fputs(kSynthHelp, stdout);
    return 0;
  }
  synth::SynthOptions options;
  options.clips = args.int_value("--clips", 12, 1, 999);
  options.seed = static_cast<uint64_t>(args.int_value("--seed", 1, 0, 2'000'000'000));
  options.fps = args.int_value("--fps", 30, 5, 120);
  options.gop_frames = args.int_value("--gop", 60, 1, 1000);
  options.threads = args.int_value("--threads", 0, 0, 64);
  if (auto size = args.value("--size")) parse_size(*size, options.width_px, options.height_px);
  auto positional = args.positionals();
  args.finish();
  if (positional.size() != 1) throw UsageError{"expected one output folder (see --help)"};
  options.out_dir = positional[0];
  av_log_set_level(AV_LOG_ERROR);  // x264 prints its settings per clip otherwise
  auto started = std::chrono::steady_clock::now();
  std::string error;
  if (!synth::write_synthetic_dataset(options, error)) {
    std::fprintf(stderr, "idmscope synth: %s\n", error.c_str());
    return 1;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("wrote %d clips to %s in %.1f s\n", options.clips, options.out_dir.string().c_str(), seconds);
  return 0;
}

}  // namespace idm::cli
