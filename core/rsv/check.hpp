#pragma once
// `rsv check` (rsv.md §5): load every item of a release, Layer 1 on poses, Layer 2 on the
// endpoint frames, and the report JSON. One bad file never stops the others.
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "rsv/frame_reader.hpp"
#include "rsv/frames.hpp"
#include "rsv/layer1.hpp"
#include "rsv/measure.hpp"
#include "rsv/meta.hpp"
#include "rsv/release.hpp"

namespace idm::rsv {

struct CheckSettings {
  EndpointPolicy endpoints;
  FramePhase phase = FramePhase::Start;
  double psnr_min_db = 30.0;  // [ASSUMED]: the card's MSE tolerance is not given
  bool ssim = false;
  bool probe_videos = true;   // frame count, fps and size against the metadata
  bool layer2 = true;
  int threads = 2;
  Conventions table;
  // Called from worker threads (serialised): stage, done, total.
  std::function<void(const char*, int, int)> progress;
};

struct LoadedMember {
  MemberFiles files;
  RsvMeta meta;
  bool video_ok = false;
  VideoFacts video;
};

struct LoadedItem {
  const ReleaseItem* item = nullptr;
  std::string relation;
  std::vector<LoadedMember> members;
  std::vector<Diagnostic> diagnostics;
  bool pairing_ok = true;  // a pair with exactly one A and one B
};

struct Layer2Result {
  std::optional<bool> pass;
  std::vector<std::pair<std::string, int>> frames;  // (member key, frame index)
  std::optional<double> mse;
  std::optional<double> psnr_db;  // may be +inf
  std::optional<double> ssim;
  std::string reason;
};

struct ItemResult {
  std::string key;
  std::string split;
  std::string relation;
  std::vector<std::string> members;
  std::vector<Diagnostic> diagnostics;
  std::string structure;
  Layer1Result layer1;
  Layer2Result layer2;
};

struct CheckReport {
  std::vector<ItemResult> items;
  std::vector<Diagnostic> release_notes;
  ConventionsMeasurement measured;
  std::vector<std::string> conventions_used;  // actions whose measured effect replaced the table's
  bool any_failure() const;  // an item that fails or has an error
};

// Reads metadata and probes videos of every item (no decoding).
std::vector<LoadedItem> load_items(const Release& release, const CheckSettings& settings);
// Layer 1 and structure for one loaded item.
ItemResult check_poses(const LoadedItem& loaded, const Conventions& conventions);
// The two frames an endpoint policy compares (rsv.md §4): a single trajectory's start and end,
// or the end of A and the end of B of a pair (Explicit S,E: S of the first member, E of the
// last). False with a reason when the policy cannot place them. Needs members with videos.
bool endpoint_frames(const LoadedItem& loaded, const EndpointPolicy& endpoints, FramePhase phase, int& first_frame,
                     int& second_frame, std::string& reason);
// Layer 2 for one loaded item (decodes the endpoint frames).
Layer2Result check_pixels(const LoadedItem& loaded, const CheckSettings& settings);
// Everything, with Layer 2 spread over settings.threads.
CheckReport run_check(const Release& release, const CheckSettings& settings);

nlohmann::ordered_json report_json(const CheckReport& report, const CheckSettings& settings);

}  // namespace idm::rsv
