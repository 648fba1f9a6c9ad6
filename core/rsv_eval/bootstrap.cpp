#include "rsv_eval/bootstrap.hpp"

#include <algorithm>
#include <cmath>

namespace idm::rsv_eval {

namespace {

uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Nearest-rank percentile of sorted values.
double percentile_sorted(const std::vector<double>& sorted, double fraction) {
  size_t rank = static_cast<size_t>(std::ceil(fraction * static_cast<double>(sorted.size())));
  if (rank > 0) --rank;
  return sorted[std::min(rank, sorted.size() - 1)];
}

}  // namespace

MeanInterval bootstrap_mean(const std::vector<double>& values, const BootstrapSettings& settings) {
  MeanInterval out;
  out.n = static_cast<int>(values.size());
  if (values.empty()) return out;
  double sum = 0.0;
  for (double value : values) sum += value;
  out.mean = sum / static_cast<double>(values.size());
  out.low = out.high = out.mean;
  if (values.size() < 2 || settings.resamples < 1) return out;
  uint64_t state = settings.seed;
  std::vector<double> means;
  means.reserve(static_cast<size_t>(settings.resamples));
  const uint64_t n = values.size();
  for (int r = 0; r < settings.resamples; ++r) {
    double resample_sum = 0.0;
    for (uint64_t i = 0; i < n; ++i) resample_sum += values[static_cast<size_t>(splitmix64(state) % n)];
    means.push_back(resample_sum / static_cast<double>(n));
  }
  std::sort(means.begin(), means.end());
  out.low = percentile_sorted(means, 0.025);
  out.high = percentile_sorted(means, 0.975);
  return out;
}

}  // namespace idm::rsv_eval
