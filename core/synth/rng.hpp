#pragma once
// A tiny seeded generator with fixed arithmetic: the standard distributions are
// implementation-defined, and the sample dataset must be byte-identical everywhere.
#include <cmath>
#include <cstdint>

namespace idm::synth {

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  // splitmix64: good enough statistics, trivially reproducible.
  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1).
  double unit() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }
  // Uniform integer in [lo, hi].
  int64_t range(int64_t lo, int64_t hi) { return lo + static_cast<int64_t>(next() % static_cast<uint64_t>(hi - lo + 1)); }
  bool chance(double p) { return unit() < p; }
  // Standard normal by Box-Muller, from our own uniforms.
  double normal() {
    double u1 = unit(), u2 = unit();
    if (u1 < 1e-12) u1 = 1e-12;
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

 private:
  uint64_t state_;
};

// Independent streams for (seed, clip, purpose) so one part never shifts another's draws.
inline uint64_t mix_seed(uint64_t seed, uint64_t a, uint64_t b = 0) {
  Rng rng(seed ^ (a * 0xD1B54A32D192ED03ull) ^ (b * 0x8CB92BA72F3D8DD7ull));
  return rng.next();
}

}  // namespace idm::synth
