// Random numbers for the Gibbs samplers: xoshiro256++ (fast, small state, one per chain
// so chains on threads never share) and the few distributions the samplers draw from.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>

namespace izde::estimate {

class Random {
 public:
  using result_type = uint64_t;
  // Distinct streams for distinct (seed, stream): chains of one run use streams 0, 1, ...
  Random(uint64_t seed, uint64_t stream);

  static constexpr uint64_t min() { return 0; }
  static constexpr uint64_t max() { return std::numeric_limits<uint64_t>::max(); }
  uint64_t operator()() {
    const uint64_t result = Rotl(s_[0] + s_[3], 23) + s_[0];
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform on the open interval (0, 1).
  double Uniform() { return ((*this)() >> 11) * 0x1.0p-53 + 0x1.0p-54; }
  double Normal();
  double Gamma(double shape);  // scale 1
  double Beta(double a, double b);
  int64_t Binomial(int64_t n, double p);
  int64_t Poisson(double mean);
  // Failures before `size` successes with success probability p (size may be fractional).
  int64_t NegativeBinomial(double size, double p);

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  int64_t BinomialRejection(int64_t n, double p);
  uint64_t s_[4];
  double spare_normal_ = 0;
  bool has_spare_ = false;
};

}  // namespace izde::estimate
