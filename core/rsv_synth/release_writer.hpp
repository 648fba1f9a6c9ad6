#pragma once
// `idmscope synth --rsv`: a small Reasoning-Structured Videos release in the card's exact
// layout and metadata, rendered by the CPU world renderer and encoded with libx264 CRF 28 at
// 16 fps, plus deliberately broken items and fixture_manifest.json with the verdict each item
// must get from `idmscope rsv check`. The same seed gives the same bytes.
#include <cstdint>
#include <filesystem>
#include <string>

#include "rsv/frames.hpp"
#include "rsv/kinematics.hpp"

namespace idm::rsv_synth {

struct RsvSynthOptions {
  std::filesystem::path out_dir;
  uint64_t seed = 1;
  int width_px = 1280;
  int height_px = 720;
  int per_split = 3;          // items per split (pairs for equivalence_easy)
  bool card_counts = false;   // 246 / 202 / 247 / 198 / 242 pairs, as the card's release
  bool planted = true;        // add the broken items
  bool metadata_only = false; // no videos (for the Layer 1 benchmark)
  rsv::FramePhase phase = rsv::FramePhase::Start;
  int threads = 2;
  rsv::Conventions table;     // the kinematics the world moves by
};

struct RsvSynthStats {
  int trajectories = 0;
  int videos = 0;
  int planted = 0;
};

bool write_synthetic_release(const RsvSynthOptions& options, RsvSynthStats& stats, std::string& error);

}  // namespace idm::rsv_synth
