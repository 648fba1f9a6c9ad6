#pragma once
// GT frames brought to a rollout's size (rsv.md §6): centre-crop to the rollout's aspect, then
// area-downscale (each output pixel the coverage-weighted mean of the source pixels it spans).
#include <cstdint>
#include <vector>

namespace idm::rsv_eval {

// Returns the source unchanged when the sizes match. Upscaling uses the same area rule
// (each output pixel takes the source pixel it falls in).
std::vector<uint8_t> fit_rgb(const std::vector<uint8_t>& source, int source_width, int source_height, int width, int height);

}  // namespace idm::rsv_eval
