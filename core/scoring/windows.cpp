#include "scoring/windows.hpp"

#include <algorithm>

namespace idm {

std::vector<int> window_starts(int grid_frames, const WindowSpec& spec) {
  std::vector<int> starts;
  if (grid_frames < spec.size || spec.stride <= 0) return {0};
  for (int start = 0; start + spec.size <= grid_frames; start += spec.stride) starts.push_back(start);
  if (starts.back() + spec.size < grid_frames) starts.push_back(grid_frames - spec.size);
  return starts;
}

int owning_window(int frame, int grid_frames, const WindowSpec& spec) {
  if (frame < 0 || frame >= grid_frames) return -1;
  std::vector<int> starts = window_starts(grid_frames, spec);
  for (size_t w = 0; w < starts.size(); ++w) {
    int local = frame - starts[w];
    if (local >= spec.keep_first && local <= spec.keep_last) return static_cast<int>(w);
  }
  return -1;
}

std::vector<bool> kept_frames(int grid_frames, const WindowSpec& spec) {
  std::vector<bool> kept(static_cast<size_t>(std::max(grid_frames, 0)), false);
  for (int start : window_starts(grid_frames, spec)) {
    for (int local = spec.keep_first; local <= spec.keep_last; ++local) {
      int frame = start + local;
      if (frame >= 0 && frame < grid_frames) kept[static_cast<size_t>(frame)] = true;
    }
  }
  return kept;
}

}  // namespace idm
