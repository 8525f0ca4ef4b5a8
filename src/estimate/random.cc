#include "estimate/random.h"

#include <random>

namespace izde::estimate {
namespace {

uint64_t SplitMix(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// Below this mean, inversion (walking the CDF) is faster than rejection.
constexpr double kInversionMean = 12;

}  // namespace

Random::Random(uint64_t seed, uint64_t stream) {
  uint64_t x = seed ^ (0xd1b54a32d192ed03ULL * (stream + 1));
  for (uint64_t& s : s_) s = SplitMix(x);
}

double Random::Normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_normal_;
  }
  double u, v, s;
  do {
    u = 2 * Uniform() - 1;
    v = 2 * Uniform() - 1;
    s = u * u + v * v;
  } while (s >= 1 || s == 0);
  double f = std::sqrt(-2 * std::log(s) / s);
  spare_normal_ = v * f;
  has_spare_ = true;
  return u * f;
}

double Random::Gamma(double shape) {
  // Marsaglia & Tsang (2000); shapes below 1 are boosted by one and scaled back by U^(1/a).
  if (shape < 1) return Gamma(shape + 1) * std::pow(Uniform(), 1 / shape);
  const double d = shape - 1.0 / 3, c = 1 / std::sqrt(9 * d);
  while (true) {
    double x, v;
    do {
      x = Normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const double u = Uniform();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (std::log(u) < 0.5 * x * x + d * (1 - v + std::log(v))) return d * v;
  }
}

double Random::Beta(double a, double b) {
  const double x = Gamma(a);
  const double y = Gamma(b);
  return x / (x + y);
}

int64_t Random::Binomial(int64_t n, double p) {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  const bool flip = p > 0.5;
  const double q = flip ? 1 - p : p;
  int64_t k;
  if (n * q < kInversionMean) {
    // Walk the CDF from 0: a handful of steps when the mean is small.
    const double ratio = q / (1 - q);
    double prob = std::pow(1 - q, static_cast<double>(n));
    double u = Uniform();
    k = 0;
    while (u > prob && k < n) {
      u -= prob;
      prob *= ratio * static_cast<double>(n - k) / static_cast<double>(k + 1);
      ++k;
    }
  } else {
    std::binomial_distribution<int64_t> dist(n, q);
    k = dist(*this);
  }
  return flip ? n - k : k;
}

int64_t Random::Poisson(double mean) {
  if (mean <= 0) return 0;
  if (mean < kInversionMean) {
    double prob = std::exp(-mean), u = Uniform();
    int64_t k = 0;
    while (u > prob) {
      u -= prob;
      ++k;
      prob *= mean / static_cast<double>(k);
      if (prob == 0) break;
    }
    return k;
  }
  std::poisson_distribution<int64_t> dist(mean);
  return dist(*this);
}

int64_t Random::NegativeBinomial(double size, double p) {
  // Gamma–Poisson mixture: failures ~ Poisson(Gamma(size) · (1 − p) / p).
  if (p >= 1) return 0;
  return Poisson(Gamma(size) * (1 - p) / p);
}

}  // namespace izde::estimate
