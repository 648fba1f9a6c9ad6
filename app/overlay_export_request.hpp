#pragma once
// What `idmscope export` asks of the overlay export (an MP4 of a clip, or one PNG frame). It
// renders through OpenGL, so it lives in the viewer's library (app/gui/command_export_video.cpp);
// a build without the viewer answers that it has none.
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "dataset/dataset.hpp"
#include "dataset/prediction_source.hpp"
#include "scoring/profile.hpp"

namespace idm::cli {

// The overlays --hide can turn off.
inline constexpr std::array<const char*, 7> kOverlayNames = {"gt-arrows", "source-arrows", "chain", "trail",
                                                             "highlight", "scroll",        "keycast"};

struct OverlayExportRequest {
  const Dataset* dataset = nullptr;
  int clip_index = -1;
  std::vector<const PredictionSet*> sources;
  ScoringProfile profile;
  std::optional<std::string> mp4_out, png_out, mask_out;
  int frame = -1;  // grid frame for --png
  int crf = 18;
  bool lossless = false;
  std::optional<std::string> hide;    // comma list of kOverlayNames
  std::optional<std::string> anchor;  // "X,Y" in video pixels
  bool anchor_follows_frame = false;
};

// The names in a --hide list, each checked against kOverlayNames (UsageError otherwise).
std::vector<std::string> hidden_overlays(const std::string& list);
// Throws UsageError for an unknown --hide name or an --anchor that is not X,Y.
void check_overlay_options(const OverlayExportRequest& request, double& anchor_x_px, double& anchor_y_px);
// Writes request.mp4_out or request.png_out; returns the process exit code.
int run_overlay_export(const OverlayExportRequest& request);

}  // namespace idm::cli
