// `idmscope export`: the viewer's overlays and metrics without the viewer. CSV and the metrics
// JSON are computed here and need no display; MP4 and PNG render through OpenGL in the viewer's
// library (app/gui/command_export_video.cpp), which a build without the viewer leaves out.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>

#include "analysis/metrics_view.hpp"
#include "analysis/sweep.hpp"
#include "analysis/triage.hpp"
#include "cli_args.hpp"
#include "cli_commands.hpp"
#include "overlay_export_request.hpp"
#include "io/atomic_write.hpp"
#include "dataset/dataset.hpp"
#include "dataset/prediction_source.hpp"
#include "dataset/dataset_score.hpp"

namespace idm::cli {

namespace {

const char* kExportHelp =
    "usage: idmscope export DATASET [--predictions SRC]... [--profile NAME|FILE] [--tolerance TYPE=N]...\n"
    "         --clip KEY (--mp4 OUT [--crf N | --lossless] [--mask OUT.pgm] | --png OUT --frame N)\n"
    "         [--anchor X,Y] [--anchor-follows-frame] [--hide LIST]\n"
    "       idmscope export DATASET [--predictions SRC]... [--profile P] [--tolerance TYPE=N]... --csv OUT\n"
    "       idmscope export DATASET [--predictions SRC]... [--profile P] [--tolerance TYPE=N]... [--clip KEY] --metrics-json OUT\n"
    "  --mp4 encodes the clip's grid frames (5 fps) with the viewer's overlays: displacement arrows\n"
    "  of GT (white) and each source, angle error and magnitude ratio, fading trail, scroll gauge and\n"
    "  keycast badges. --png writes one grid frame the same way. Both need OpenGL: without a display\n"
    "  run under `xvfb-run -a`. --crf sets x264's quality (18); --lossless encodes 4:4:4 with crf 0,\n"
    "  so pixels away from the overlays keep the source's values. --mask writes, per frame, where overlays drew\n"
    "  (multi-image PGM, 255 = overlay). --anchor X,Y in video pixels (default: the frame centre).\n"
    "  --hide takes a comma list of gt-arrows,source-arrows,chain,trail,highlight,scroll,keycast.\n"
    "  --csv writes the per-clip metrics table (one row per clip and source); --metrics-json the\n"
    "  metrics panel's numbers (per source: dataset and clip P/R/F1 per type, mouse metrics) and\n"
    "  the tolerance sweep (F1 per type at tolerance 0..10) and, with --clip, the clip's miss frames\n"
    "  (an FN or FP of any source: where N/P stop). --tolerance KeyPress=4 overrides the\n"
    "  profile's tolerance for one type, as the panel's sliders do.\n";

void apply_tolerance(const std::string& text, ScoringProfile& profile) {
  size_t equals = text.find('=');
  ActionType type;
  int frames = -1;
  if (equals == std::string::npos || !parse_action_type(text.substr(0, equals), type) ||
      std::sscanf(text.c_str() + equals + 1, "%d", &frames) != 1 || frames < 0 || frames > 1000) {
    throw UsageError{"--tolerance expects TYPE=N (KeyPress, MouseClick, MouseScroll or MouseMove, N >= 0), got '" + text + "'"};
  }
  std::array<int, kActionTypeCount> overrides;
  overrides.fill(-1);
  overrides[static_cast<size_t>(type)] = frames;
  profile = analysis::with_tolerances(profile, overrides);
}

int fail(const std::string& message) {
  std::fprintf(stderr, "idmscope export: %s\n", message.c_str());
  return 1;
}

}  // namespace

std::vector<std::string> hidden_overlays(const std::string& list) {
  std::vector<std::string> names;
  size_t start = 0;
  while (start <= list.size()) {
    size_t end = list.find(',', start);
    std::string name = list.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (std::find(kOverlayNames.begin(), kOverlayNames.end(), name) == kOverlayNames.end()) {
      throw UsageError{"--hide: unknown overlay '" + name + "'"};
    }
    names.push_back(name);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return names;
}

void check_overlay_options(const OverlayExportRequest& request, double& anchor_x_px, double& anchor_y_px) {
  if (request.hide) hidden_overlays(*request.hide);
  if (request.anchor && std::sscanf(request.anchor->c_str(), "%lf,%lf", &anchor_x_px, &anchor_y_px) != 2) {
    throw UsageError{"--anchor expects X,Y in video pixels"};
  }
}

int run_export(int argc, char** argv) {
  Args args(argc, argv, 2);
  if (args.wants_help()) {
    std::fputs(kExportHelp, stdout);
    return 0;
  }
  std::vector<std::string> source_paths = args.values("--predictions");
  std::string profile_name = args.value("--profile").value_or("protocol");
  std::vector<std::string> tolerances = args.values("--tolerance");
  auto clip_key = args.value("--clip");
  auto mp4_out = args.value("--mp4");
  auto png_out = args.value("--png");
  auto csv_out = args.value("--csv");
  auto metrics_out = args.value("--metrics-json");
  auto mask_out = args.value("--mask");
  int frame = args.int_value("--frame", -1, 0, 1000000);
  int crf = args.int_value("--crf", 18, 0, 51);
  bool lossless = args.flag("--lossless");
  auto anchor = args.value("--anchor");
  bool anchor_follows = args.flag("--anchor-follows-frame");
  auto hide = args.value("--hide");
  auto positionals = args.positionals();
  args.finish();
  if (positionals.size() != 1) throw UsageError{"expected one DATASET folder (see --help)"};
  int outputs = (mp4_out ? 1 : 0) + (png_out ? 1 : 0) + (csv_out ? 1 : 0) + (metrics_out ? 1 : 0);
  if (outputs != 1) throw UsageError{"give exactly one of --mp4 OUT, --png OUT, --csv OUT, --metrics-json OUT"};
  if ((mp4_out || png_out) && !clip_key) throw UsageError{"--mp4 and --png need --clip KEY"};
  if (png_out && frame < 0) throw UsageError{"--png needs --frame N"};
  if (mask_out && !mp4_out) throw UsageError{"--mask goes with --mp4"};

  OverlayExportRequest request;
  std::string error;
  if (!load_profile(profile_name, request.profile, error)) return fail(error);
  for (const std::string& tolerance : tolerances) apply_tolerance(tolerance, request.profile);
  request.hide = hide;
  request.anchor = anchor;
  request.anchor_follows_frame = anchor_follows;
  double anchor_x_px = 0, anchor_y_px = 0;
  check_overlay_options(request, anchor_x_px, anchor_y_px);  // before anything loads

  Dataset dataset;
  if (!load_dataset(positionals[0], DatasetLoadOptions{}, dataset, error)) return fail(error);
  if (dataset.clips.empty()) return fail(positionals[0] + ": no clips (clip_*.json) found");
  std::vector<PredictionSet> sources(source_paths.size());
  for (size_t i = 0; i < source_paths.size(); ++i) {
    if (!load_prediction_source(source_paths[i], dataset, sources[i], error)) return fail(error);
  }
  request.dataset = &dataset;
  for (const PredictionSet& source : sources) request.sources.push_back(&source);
  if (clip_key) {
    for (size_t i = 0; i < dataset.clips.size(); ++i) {
      if (dataset.clips[i].key == *clip_key) request.clip_index = static_cast<int>(i);
    }
    if (request.clip_index < 0) return fail(positionals[0] + ": no clip with key '" + *clip_key + "'");
  }

  if (csv_out || metrics_out) {
    std::vector<DatasetScore> scores;
    for (const PredictionSet& source : sources) scores.push_back(score_dataset(dataset, source, request.profile));
    std::vector<const DatasetScore*> pointers;
    for (const DatasetScore& score : scores) pointers.push_back(&score);
    std::string text;
    if (csv_out) text = analysis::metrics_table_csv(pointers);
    else {
      auto json = analysis::source_metrics_json(analysis::build_source_metrics(pointers, request.clip_index), request.profile);
      // Where N/P stop in this clip: the frames with an FN or FP of any source.
      if (request.clip_index >= 0) json["clip_miss_frames"] = analysis::miss_frames(pointers, request.clip_index);
      for (size_t s = 0; s < sources.size(); ++s) {
        nlohmann::ordered_json sweep = nlohmann::ordered_json::array();
        for (const analysis::SweepPoint& point : analysis::tolerance_sweep(dataset, sources[s], request.profile)) {
          nlohmann::ordered_json f1 = nlohmann::ordered_json::object();
          for (int type = 0; type < kActionTypeCount; ++type) {
            if (request.profile.scored[static_cast<size_t>(type)]) f1[action_type_name(static_cast<ActionType>(type))] = point.f1[static_cast<size_t>(type)];
          }
          sweep.push_back({{"tolerance", point.tolerance_frames}, {"f1", f1}});
        }
        json["sources"][s]["sweep"] = sweep;
      }
      text = json.dump(1) + "\n";
    }
    if (!write_file_atomically(csv_out ? *csv_out : *metrics_out, text, error)) return fail(error);
    return 0;
  }

  // A clip that cannot be read or whose video is unusable (fewer than one grid frame, say) is
  // an error before anything is drawn or written.
  const DatasetClip& clip = dataset.clips[static_cast<size_t>(request.clip_index)];
  if (!clip.loaded) return fail(clip.key + ": " + clip.error);
  if (!clip.video_error.empty()) return fail(clip.key + ": " + clip.video_error);
  request.frame = frame;
  request.mp4_out = mp4_out;
  request.png_out = png_out;
  request.mask_out = mask_out;
  request.crf = crf;
  request.lossless = lossless;
  return run_overlay_export(request);
}

}  // namespace idm::cli
