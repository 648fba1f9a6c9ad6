#pragma once
// The mean of per-item values with a 95 % percentile bootstrap interval: `resamples` draws of
// n items with replacement from a seeded generator (splitmix64, so the same seed gives the same
// interval on every platform); the interval is the 2.5th and 97.5th percentile of the means.
#include <cstdint>
#include <vector>

namespace idm::rsv_eval {

struct BootstrapSettings {
  int resamples = 2000;
  uint64_t seed = 1;
};

struct MeanInterval {
  int n = 0;
  double mean = 0.0;
  double low = 0.0;   // == mean when n == 1
  double high = 0.0;
};

MeanInterval bootstrap_mean(const std::vector<double>& values, const BootstrapSettings& settings);

}  // namespace idm::rsv_eval
