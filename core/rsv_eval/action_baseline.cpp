#include "rsv_eval/action_baseline.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "rsv/frame_reader.hpp"

namespace idm::rsv_eval {

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr int kWidth = 96;

struct Gray {
  int width = 0, height = 0;
  std::vector<float> pixels;
  float at(double x, double y, bool& inside) const {  // bilinear
    inside = x >= 0 && y >= 0 && x <= width - 1 && y <= height - 1;
    if (!inside) return 0.f;
    int x0 = static_cast<int>(x), y0 = static_cast<int>(y);
    int x1 = std::min(x0 + 1, width - 1), y1 = std::min(y0 + 1, height - 1);
    float fx = static_cast<float>(x - x0), fy = static_cast<float>(y - y0);
    auto p = [&](int xx, int yy) { return pixels[static_cast<size_t>(yy) * width + xx]; };
    return (p(x0, y0) * (1 - fx) + p(x1, y0) * fx) * (1 - fy) + (p(x0, y1) * (1 - fx) + p(x1, y1) * fx) * fy;
  }
};

Gray to_small_gray(const std::vector<uint8_t>& rgb, int width, int height) {
  Gray out;
  out.width = kWidth;
  out.height = std::max(8, static_cast<int>(std::lround(static_cast<double>(height) * kWidth / width)));
  out.pixels.assign(static_cast<size_t>(out.width) * out.height, 0.f);
  std::vector<int> counts(out.pixels.size(), 0);
  for (int y = 0; y < height; ++y) {
    int oy = std::min(out.height - 1, y * out.height / height);
    for (int x = 0; x < width; ++x) {
      int ox = std::min(out.width - 1, x * out.width / width);
      const uint8_t* p = rgb.data() + (static_cast<size_t>(y) * width + x) * 3;
      out.pixels[static_cast<size_t>(oy) * out.width + ox] += 0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2];
      ++counts[static_cast<size_t>(oy) * out.width + ox];
    }
  }
  for (size_t i = 0; i < out.pixels.size(); ++i) out.pixels[i] /= std::max(1, counts[i]);
  return out;
}

// Mean absolute error of B against A seen through `source_of` (output pixel -> where it was in A);
// +inf when less than half the pixels have a source inside A.
template <typename SourceOf>
double warp_error(const Gray& a, const Gray& b, SourceOf source_of) {
  double sum = 0.0;
  int valid = 0;
  for (int y = 0; y < b.height; ++y) {
    for (int x = 0; x < b.width; ++x) {
      double sx = x, sy = y;
      source_of(x, y, sx, sy);
      bool inside = false;
      float value = a.at(sx, sy, inside);
      if (!inside) continue;
      sum += std::fabs(value - b.pixels[static_cast<size_t>(y) * b.width + x]);
      ++valid;
    }
  }
  if (valid * 2 < b.width * b.height) return std::numeric_limits<double>::infinity();
  return sum / valid;
}

std::string classify(const Gray& a, const Gray& b, double fraction) {
  const double focal = (a.width / 2.0) / std::tan(79.0 / 2.0 * kPi / 180.0);  // pixels
  const double centre_x = (a.width - 1) / 2.0, horizon = (a.height - 1) / 2.0;
  const double turn_px = focal * std::tan(15.0 * fraction * kPi / 180.0);
  const double look_px = focal * std::tan(7.5 * fraction * kPi / 180.0);
  const double move_cm = 100.0 * fraction, eye_cm = 148.0;
  struct Candidate {
    const char* name;
    double error;
  };
  std::vector<Candidate> candidates;
  candidates.push_back({"no_op", warp_error(a, b, [](int, int, double&, double&) {})});
  // turn_right (+yaw): the scene moves left, so output x came from x + shift.
  candidates.push_back({"turn_right", warp_error(a, b, [&](int x, int, double& sx, double&) { sx = x + turn_px; })});
  candidates.push_back({"turn_left", warp_error(a, b, [&](int x, int, double& sx, double&) { sx = x - turn_px; })});
  // look_up (+pitch): the scene moves down, so output y came from y - shift.
  candidates.push_back({"look_up", warp_error(a, b, [&](int, int y, double&, double& sy) { sy = y - look_px; })});
  candidates.push_back({"look_down", warp_error(a, b, [&](int, int y, double&, double& sy) { sy = y + look_px; })});
  // Strafes: a floor point v rows below the horizon moves v * move / eye pixels sideways.
  auto strafe = [&](double sign) {
    return [&, sign](int x, int y, double& sx, double&) {
      double v = y - horizon;
      if (v > 0) sx = x + sign * v * move_cm / eye_cm;
    };
  };
  candidates.push_back({"move_right", warp_error(a, b, strafe(1.0))});
  candidates.push_back({"move_left", warp_error(a, b, strafe(-1.0))});
  // Forward / backward: floor rows expand away from the horizon (v' = v / (1 - t v / (f h))).
  auto dolly = [&](double t_cm) {
    return [&, t_cm](int x, int y, double& sx, double& sy) {
      double v_out = y - horizon;
      if (v_out <= 0) return;
      double v_in = v_out / (1.0 + t_cm * v_out / (focal * eye_cm));
      if (v_in <= 0) return;
      sy = horizon + v_in;
      sx = centre_x + (x - centre_x) * v_in / v_out;
    };
  };
  candidates.push_back({"move_forward", warp_error(a, b, dolly(move_cm))});
  candidates.push_back({"move_backward", warp_error(a, b, dolly(-move_cm))});
  const Candidate* best = &candidates.front();
  for (const Candidate& candidate : candidates) {
    if (candidate.error < best->error) best = &candidate;
  }
  return best->name;
}

}  // namespace

bool predict_actions_classical(const std::filesystem::path& video, int steps, int frames_per_step, std::vector<std::string>& out,
                               std::string& error) {
  out.clear();
  rsv::FrameReader reader;
  if (!reader.open(video, error)) return false;
  if (frames_per_step < 2 || reader.facts().frames < steps * frames_per_step) {
    error = "the video has " + std::to_string(reader.facts().frames) + " frames, the steps need " + std::to_string(steps * frames_per_step);
    return false;
  }
  std::vector<uint8_t> rgb;
  for (int k = 0; k < steps; ++k) {
    if (!reader.read_rgb(k * frames_per_step, rgb, error)) return false;
    Gray first = to_small_gray(rgb, reader.facts().width, reader.facts().height);
    if (!reader.read_rgb(k * frames_per_step + frames_per_step - 1, rgb, error)) return false;
    Gray last = to_small_gray(rgb, reader.facts().width, reader.facts().height);
    // Under the `start` phase the last frame of a step shows (n-1)/n of its motion.
    out.push_back(classify(first, last, static_cast<double>(frames_per_step - 1) / frames_per_step));
  }
  return true;
}

}  // namespace idm::rsv_eval
