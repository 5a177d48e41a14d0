// A small, fast, fully specified random generator (xoshiro256**, seeded by SplitMix64).
// std::*_distribution output differs between standard libraries, so every draw credo makes
// is defined here: the same seed gives the same data on every machine and thread count.
#pragma once

#include <cmath>
#include <cstdint>

namespace credo {

// Mixes a 64-bit value into a well-distributed one (SplitMix64 finaliser).
inline uint64_t mix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

class Rng {
 public:
  // A stream identified by (seed, stream): independent streams for, e.g., each client.
  explicit Rng(uint64_t seed, uint64_t stream = 0) {
    uint64_t x = mix64(seed) ^ mix64(stream + 0x632BE59BD9B4E019ull);
    for (auto& s : s_) {
      x = mix64(x);
      s = x;
    }
  }

  uint64_t next_u64() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
  // Uniform in (0, 1): never exactly 0, safe for log().
  double uniform_open() { return (static_cast<double>(next_u64() >> 11) + 0.5) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Uniform integer in [0, n), n > 0 (Lemire's multiply-shift, bias negligible for credo's n).
  uint64_t below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(next_u64()) * n) >> 64);
  }
  bool bernoulli(double p) { return uniform() < p; }
  // Standard normal by Box-Muller (one value per call; fully specified, no cached state).
  double normal() {
    double u1 = uniform_open(), u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  double normal(double mean, double sd) { return mean + sd * normal(); }
  double exponential(double rate) { return -std::log(uniform_open()) / rate; }
  // Poisson by inversion for small means, normal approximation for large ones.
  int64_t poisson(double mean) {
    if (mean <= 0) return 0;
    if (mean > 60) {
      double v = std::round(normal(mean, std::sqrt(mean)));
      return v < 0 ? 0 : static_cast<int64_t>(v);
    }
    double l = std::exp(-mean), p = 1.0;
    int64_t k = 0;
    do {
      ++k;
      p *= uniform();
    } while (p > l);
    return k - 1;
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

}  // namespace credo
