#pragma once
// `idmscope synth`: a complete sample dataset (spec §1 layout) from a seed.
#include <cstdint>
#include <filesystem>
#include <string>

namespace idm::synth {

struct SynthOptions {
  std::filesystem::path out_dir;
  int clips = 12;
  uint64_t seed = 1;
  int fps = 30;
  int width_px = 1728;
  int height_px = 1080;
  int gop_frames = 60;
  int threads = 0;  // 0: one per core, at most 4 (x264 itself runs single-threaded)
};

bool write_synthetic_dataset(const SynthOptions& options, std::string& error);

}  // namespace idm::synth
