#pragma once
// Spec §7 [ours]: windowed evaluation. The model sees `size`-frame windows with `stride`;
// from each window only local frames keep_first..keep_last are kept, the earlier window
// winning where two keep the same frame.
#include <vector>

namespace idm {

struct WindowSpec {
  int size = 10;
  int stride = 5;
  int keep_first = 2;
  int keep_last = 7;
};

// 25 frames -> 0,5,10,15; 24 -> 0,5,10,14; 26 -> 0,5,10,15,16; fewer than size -> 0.
std::vector<int> window_starts(int grid_frames, const WindowSpec& spec);

// kept[f] for f in 0..grid_frames-1.
std::vector<bool> kept_frames(int grid_frames, const WindowSpec& spec);

// The window (index into window_starts) that owns global frame f, or -1 if f is not kept.
int owning_window(int frame, int grid_frames, const WindowSpec& spec);

}  // namespace idm
