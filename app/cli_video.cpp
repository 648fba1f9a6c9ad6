// `idmscope probe VIDEO` (stream info and grid map) and `idmscope frames VIDEO` (grid frames
// as PNGs, or decoded and discarded with --null).
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

extern "C" {
#include <libavutil/log.h>
}

#include "cli_args.hpp"
#include "cli_commands.hpp"
#include "png_writer.hpp"
#include "video/frame_index.hpp"
#include "video/grid_decoder.hpp"
#include "video/grid_map.hpp"

namespace idm::cli {

namespace {

const char* kProbeHelp =
    "usage: idmscope probe VIDEO [--fps 5]\n"
    "  Prints the video stream (codec, size, time base, frame count, container start, first pts),\n"
    "  the grid length at --fps and the grid map: grid frame -> source frame index and pts.\n"
    "  The grid is the one `ffmpeg -i VIDEO -vf fps=5 frame_%04d.png` writes.\n";

const char* kFramesHelp =
    "usage: idmscope frames VIDEO [--fps 5] (--out DIR | --null)\n"
    "  Decodes the grid frames in one forward pass. --out writes DIR/frame_0001.png.. (1-based,\n"
    "  like ffmpeg's %04d); --null converts them to RGBA and discards them (for timing).\n";

double fps_argument(Args& args) {
  auto text = args.value("--fps");
  if (!text) return 5.0;
  char* end = nullptr;
  double fps = std::strtod(text->c_str(), &end);
  if (text->empty() || *end != '\0' || !(fps > 0.0 && fps <= 1000.0)) {
    throw UsageError{"--fps expects a number above 0 and at most 1000, got '" + *text + "'"};
  }
  return fps;
}

std::string video_argument(Args& args) {
  auto positional = args.positionals();
  args.finish();
  if (positional.size() != 1) throw UsageError{"expected one video file (see --help)"};
  return positional[0];
}

// libav's own log lines would break the one-line error contract; our messages say enough.
void quiet_libav() { av_log_set_level(AV_LOG_QUIET); }

double us_to_s(int64_t us) { return static_cast<double>(us) / 1e6; }

}  // namespace

int run_probe(int argc, char** argv) {
  Args args(argc, argv, 2);
  if (args.wants_help()) {
    std::fputs(kProbeHelp, stdout);
    return 0;
  }
  double fps = fps_argument(args);
  std::string video = video_argument(args);
  quiet_libav();
  FrameIndex index;
  std::string error;
  if (!build_frame_index(video, index, error)) {
    std::fprintf(stderr, "idmscope probe: %s: %s\n", video.c_str(), error.c_str());
    return 1;
  }
  GridMap map = build_grid_map(index, fps);
  int keyframes = 0;
  for (const SourceFrame& frame : index.frames) keyframes += frame.keyframe ? 1 : 0;
  std::printf("video: %s\n", video.c_str());
  std::printf("codec: %s\n", index.codec.c_str());
  std::printf("size: %dx%d\n", index.width, index.height);
  std::printf("time_base: %d/%d\n", index.time_base_num, index.time_base_den);
  std::printf("frames: %zu (keyframes %d, discarded pre-roll packets %d)\n", index.frames.size(), keyframes,
              index.packets_discarded);
  std::printf("container_start_s: %.6f\n", us_to_s(index.container_start_us));
  std::printf("first_pts_s: %.6f\n", us_to_s(index.frames.front().pts_us));
  std::printf("grid_fps: %g\n", fps);
  std::printf("grid_frames: %d\n", map.length());
  std::printf("grid map (grid frame -> source frame index, pts_s):\n");
  for (int k = 0; k < map.length(); ++k) {
    int source = map.source_frame_index[static_cast<size_t>(k)];
    std::printf("  F%02d -> %d  %.6f\n", k, source, us_to_s(index.frames[static_cast<size_t>(source)].pts_us));
  }
  return 0;
}

int run_frames(int argc, char** argv) {
  Args args(argc, argv, 2);
  if (args.wants_help()) {
    std::fputs(kFramesHelp, stdout);
    return 0;
  }
  double fps = fps_argument(args);
  auto out_dir = args.value("--out");
  bool discard = args.flag("--null");
  std::string video = video_argument(args);
  if (out_dir.has_value() == discard) throw UsageError{"give exactly one of --out DIR and --null"};
  quiet_libav();
  if (out_dir) {
    std::error_code code;
    std::filesystem::create_directories(*out_dir, code);
    if (code) {
      std::fprintf(stderr, "idmscope frames: cannot create %s: %s\n", out_dir->c_str(), code.message().c_str());
      return 1;
    }
  }
  FrameIndex index;
  std::string error;
  if (!build_frame_index(video, index, error)) {
    std::fprintf(stderr, "idmscope frames: %s: %s\n", video.c_str(), error.c_str());
    return 1;
  }
  GridMap map = build_grid_map(index, fps);
  std::string write_error;
  auto sink = [&](const GridFrameRgba& frame) {
    if (!out_dir) return true;
    char name[32];
    std::snprintf(name, sizeof name, "frame_%04d.png", frame.grid_frame + 1);
    std::string path = (std::filesystem::path(*out_dir) / name).string();
    if (!write_png_rgba(path, frame.width, frame.height, frame.stride_bytes, frame.rgba)) {
      write_error = "cannot write " + path;
      return false;
    }
    return true;
  };
  if (!decode_grid_rgba(video, index, map, sink, error)) {
    std::fprintf(stderr, "idmscope frames: %s: %s\n", video.c_str(), error.c_str());
    return 1;
  }
  if (!write_error.empty()) {
    std::fprintf(stderr, "idmscope frames: %s\n", write_error.c_str());
    return 1;
  }
  std::printf("%d grid frames\n", map.length());
  return 0;
}

}  // namespace idm::cli
