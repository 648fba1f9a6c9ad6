#include "video/grid_map.hpp"

extern "C" {
#include <libavutil/avutil.h>
#include <libavutil/mathematics.h>
#include <libavutil/rational.h>
}

#include <algorithm>
#include <cstdio>

namespace idm {

namespace {

// A grid longer than this is a broken file, not a clip.
constexpr int64_t kMaxGridFrames = 10'000'000;

}  // namespace

GridMap build_grid_map(const FrameIndex& index, double fps) {
  GridMap map;
  AVRational rate = av_d2q(fps, 1'000'000);
  map.fps_num = rate.num;
  map.fps_den = rate.den;
  if (index.frames.empty() || rate.num <= 0 || rate.den <= 0) return map;

  const AVRational time_base{index.time_base_num, index.time_base_den};
  const AVRational slot_base = av_inv_q(rate);
  const auto rounding = static_cast<AVRounding>(AV_ROUND_NEAR_INF | AV_ROUND_PASS_MINMAX);
  // The ffmpeg CLI shifts packets by -start (rounded into the stream time base), then the fps
  // filter rescales to 1/fps rounding half away from zero.
  const int64_t offset = av_rescale_q(-index.container_start_us, AV_TIME_BASE_Q, time_base);
  auto slot_of = [&](int64_t pts) { return av_rescale_q_rnd(pts + offset, time_base, slot_base, rounding); };

  std::vector<int64_t> slots(index.frames.size());
  for (size_t i = 0; i < index.frames.size(); ++i) slots[i] = slot_of(index.frames[i].pts);
  map.first_slot = slots.front();

  // The end of stream reaches the filter as last pts + duration, passed through microseconds.
  const SourceFrame& last = index.frames.back();
  int64_t end_us = av_rescale_q(last.pts + offset, time_base, AV_TIME_BASE_Q) +
                   av_rescale_q(last.duration, time_base, AV_TIME_BASE_Q);
  int64_t end_pts = av_rescale_q_rnd(end_us, AV_TIME_BASE_Q, time_base, rounding);
  int64_t end_slot = av_rescale_q_rnd(end_pts, time_base, slot_base, rounding);
  end_slot = std::min(end_slot, kMaxGridFrames);
  if (end_slot <= 0) return map;

  map.source_frame_index.resize(static_cast<size_t>(end_slot));
  size_t next = 0;  // first frame whose slot is still ahead
  int shown = 0;
  for (int64_t k = 0; k < end_slot; ++k) {
    int64_t target = std::max(k, map.first_slot);  // slots before the first output repeat it
    while (next < slots.size() && slots[next] <= target) ++next;
    if (next > 0) shown = static_cast<int>(next - 1);
    map.source_frame_index[static_cast<size_t>(k)] = shown;
  }
  return map;
}

std::string empty_grid_error(const FrameIndex& index, double fps) {
  double duration_s = 0.0;
  if (!index.frames.empty()) {
    const SourceFrame& last = index.frames.back();
    duration_s = static_cast<double>(last.pts_us + last.duration_us - index.container_start_us) / 1e6;
  }
  char text[160];
  std::snprintf(text, sizeof text, "the video has %zu frame%s (%.3f s), fewer than one grid frame at %g fps", index.frames.size(),
                index.frames.size() == 1 ? "" : "s", duration_s, fps);
  return text;
}

}  // namespace idm
