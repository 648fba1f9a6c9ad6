#pragma once
// The viewer's state in Reasoning-Structured Videos (RSV) mode, beside the IDM state in
// AppState (state.rsv). Owned by the main thread, changed only by the RSV command handlers
// (state/rsv_apply.cpp). The release read from disk is shared read-only with the tasks
// (shared_ptr<const RsvRelease>); decoded frames come back from tasks as shared RGB images.
#include <cstdint>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "rsv/check.hpp"
#include "rsv/frame_reader.hpp"
#include "rsv/frames.hpp"
#include "rsv/kinematics.hpp"
#include "rsv/release.hpp"

namespace idm::gui {

// A release as read by the open task; never changed afterwards (tasks hold it too).
struct RsvRelease {
  rsv::Release release;
  std::vector<rsv::LoadedItem> items;  // release.items' order; each points into release.items
  rsv::Conventions table;
};

// One decoded frame, packed 8-bit RGB as the ffmpeg CLI's format=rgb24 gives it.
struct RgbFrame {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> rgb;
  size_t bytes() const { return rgb.size(); }
};

// One open decoder per member video, shared by the decode tasks of that member. `mutex`
// guards every field: a task locks it for the whole decode (one task decodes a video at a time).
struct RsvReaderSlot {
  std::mutex mutex;
  std::filesystem::path path;
  std::unique_ptr<rsv::FrameReader> reader;  // opened by the first task that needs it
  std::string error;                          // opening failed: every later task reports it
};

using RsvFrameKey = std::pair<std::string, int>;  // member key, native frame

// Decoded frames by member and frame, oldest evicted first beyond the byte budget.
struct RsvFrameCache {
  std::map<RsvFrameKey, std::shared_ptr<const RgbFrame>> frames;
  std::deque<RsvFrameKey> order;  // insertion order, for eviction
  std::set<RsvFrameKey> pending;  // asked of a task, not back yet
  std::map<std::string, std::string> errors;  // member key -> why its frames cannot be decoded
  size_t bytes = 0;
  size_t budget_bytes = 96ull << 20;  // ~35 decoded 1280x720 frames: what is shown, the endpoints and a short history
  std::shared_ptr<const RgbFrame> find(const std::string& member, int frame) const;
};

struct RsvState {
  bool active = false;           // the viewer shows an RSV release (else the IDM dataset)
  std::string path;              // the release shown
  std::string loading;           // a release being read by a task (empty: none)
  std::shared_ptr<const RsvRelease> release;
  uint64_t release_revision = 0;  // a new one for every release read

  // Check settings (rsv.md §4-5) and the check's report, derived from (release, settings).
  rsv::EndpointPolicy endpoints;
  rsv::FramePhase phase = rsv::FramePhase::Start;
  double psnr_min_db = 30.0;
  uint64_t settings_revision = 1;
  std::shared_ptr<const rsv::CheckReport> report;
  uint64_t report_release = 0;   // the revisions `report` was computed from
  uint64_t report_settings = 0;
  uint64_t checking_release = 0;  // what the running check task computes (0: none)
  uint64_t checking_settings = 0;
  uint64_t check_task = 0;
  std::vector<int> result_of_item;  // release item index -> report item index (-1: none)

  int item = -1;    // index into release->items
  int frame = 0;    // native frame 0 .. frames-1 (a pair: both halves at the same frame)
  bool show_difference = true;  // a pair: the |A - B| pane
  bool flicker = false;         // endpoints: alternate the two endpoint frames
  bool playing = false;
  double play_clock_s = 0.0;

  RsvFrameCache cache;
  std::map<std::string, std::shared_ptr<RsvReaderSlot>> readers;  // by member key

  // Derived for a pair: PSNR(A[f], B[f]) per frame, computed in a task.
  std::string curve_item;          // the item key `curve` belongs to
  std::vector<double> curve_psnr_db;
  std::string curve_error;
  std::string curve_computing;     // the item key of the running curve task (empty: none)

  bool current_report() const { return report && report_release == release_revision && report_settings == settings_revision; }
  const rsv::LoadedItem* current_item() const;
  const rsv::ItemResult* result(int item_index) const;  // null while unchecked
  int frame_count() const;  // of the current item (its first member's declared or decoded frames)
  int frames_per_step() const;
};

// The item whose key, or one of whose members' key, is `key`; -1 when none.
int find_rsv_item(const RsvRelease& release, const std::string& key);
// The endpoint frames of an item under the report (member key, frame); empty when unknown.
std::vector<std::pair<std::string, int>> rsv_endpoint_frames(const RsvState& state, int item_index);

}  // namespace idm::gui
