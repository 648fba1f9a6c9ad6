// `idmscope synth --rsv OUT`: the synthetic Reasoning-Structured Videos release.
#include <chrono>
#include <cstdio>
#include <string>

#include "cli_rsv.hpp"
#include "rsv_synth/release_writer.hpp"

extern "C" {
#include <libavutil/log.h>
}

namespace idm::cli {

namespace {

const char* kSynthRsvHelp =
    "usage: idmscope synth --rsv OUT [--seed S] [--size WxH] [--per-split N|card] [--phase start|end|inclusive]\n"
    "                       [--metadata-only] [--no-planted] [--table FILE] [--threads T]\n"
    "  Writes a small Reasoning-Structured Videos release in the card's layout: five split folders of\n"
    "  run_*__traj_*.mp4 + _meta.json (equivalence pairs as run_*__pair_*_A/B_traj_*), rendered from a\n"
    "  tiled, walled world (79 deg FOV, eye 148 cm above the floor) and encoded with libx264 CRF 28 at\n"
    "  16 fps, plus planted problems and fixture_manifest.json (the verdict `rsv check` must give each item).\n"
    "  --per-split N     items per split (pairs for equivalence_easy; default 3); `card` = 246/202/247/198/242\n"
    "  --size WxH        default 1280x720   --phase  the pose a frame shows inside its step (default start)\n"
    "  --metadata-only   no videos (a Layer 1 benchmark input)   --no-planted  good items only\n"
    "  --table FILE      the action conventions the world moves by (default assets/rsv/conventions.json)\n"
    "  The same seed gives the same bytes.\n";

}  // namespace

int run_synth_rsv(int argc, char** argv) {
  Args args(argc, argv, 2);
  if (args.wants_help()) {
    std::fputs(kSynthRsvHelp, stdout);
    return 0;
  }
  rsv_synth::RsvSynthOptions options;
  auto out = args.value("--rsv");
  if (!out) throw UsageError{"--rsv needs an output folder"};
  options.out_dir = *out;
  options.seed = static_cast<uint64_t>(args.int_value("--seed", 1, 0, 2'000'000'000));
  if (auto size = args.value("--size")) {
    int w = 0, h = 0;
    char extra = 0;
    if (std::sscanf(size->c_str(), "%dx%d%c", &w, &h, &extra) != 2 || w < 64 || h < 64 || w > 3840 || h > 2160 || w % 2 || h % 2)
      throw UsageError{"--size expects even WIDTHxHEIGHT from 64x64 to 3840x2160, got '" + *size + "'"};
    options.width_px = w;
    options.height_px = h;
  }
  if (auto count = args.value("--per-split")) {
    if (*count == "card") {
      options.card_counts = true;
    } else {
      char* end = nullptr;
      long parsed = std::strtol(count->c_str(), &end, 10);
      if (end == count->c_str() || *end || parsed < 1 || parsed > 1000) throw UsageError{"--per-split expects 1..1000 or card, got '" + *count + "'"};
      options.per_split = static_cast<int>(parsed);
    }
  }
  if (auto phase = args.value("--phase")) {
    auto parsed = rsv::parse_phase(*phase);
    if (!parsed) throw UsageError{"--phase expects start, end or inclusive, got '" + *phase + "'"};
    options.phase = *parsed;
  }
  options.metadata_only = args.flag("--metadata-only");
  options.planted = !args.flag("--no-planted");
  options.threads = args.int_value("--threads", 2, 1, 64);
  options.table = load_table_option(args);
  args.finish();
  av_log_set_level(AV_LOG_ERROR);
  auto started = std::chrono::steady_clock::now();
  rsv_synth::RsvSynthStats stats;
  std::string error;
  if (!rsv_synth::write_synthetic_release(options, stats, error)) {
    std::fprintf(stderr, "idmscope synth --rsv: %s\n", error.c_str());
    return 1;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("wrote %d metadata files and %d videos (%d planted problems) to %s in %.1f s\n", stats.trajectories,
              stats.videos, stats.planted, options.out_dir.string().c_str(), seconds);
  return 0;
}

}  // namespace idm::cli
