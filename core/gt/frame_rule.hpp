#pragma once
// Spec §3 [reference]: the grid frame of an event.
#include <cmath>
#include <cstdint>
#include <optional>

namespace idm {

// The largest frame magnitude we accept; beyond it a timestamp is treated as corrupt
// (Python would produce a huge int or crash; we report instead of overflowing).
constexpr double kMaxFrameMagnitude = 1e9;

// frame = round_half_even((ts_us - start_s*1e6) / 1e6 * fps), in IEEE double, in exactly
// this order. Returns nullopt when the value is not finite or absurdly large.
inline std::optional<int64_t> frame_of_timestamp(double ts_us, double start_s, double fps) {
  double start_us = start_s * 1e6;
  double relative_us = ts_us - start_us;
  double frame = std::nearbyint(relative_us / 1e6 * fps);  // default mode: ties to even
  if (!std::isfinite(frame) || std::fabs(frame) > kMaxFrameMagnitude) return std::nullopt;
  return static_cast<int64_t>(frame);
}

}  // namespace idm
