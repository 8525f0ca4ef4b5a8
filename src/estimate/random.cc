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
constexpr double kInversionMean = 10;
// Up to this many trials a binomial is drawn trial by trial.
constexpr int64_t kBernoulliTrials = 6;

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
  if (n <= kBernoulliTrials) {
    // Few trials: counting uniforms below q beats any transcendental function.
    k = 0;
    for (int64_t i = 0; i < n; ++i) k += Uniform() < q;
  } else if (n * q < kInversionMean) {
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
    k = BinomialRejection(n, q);
  }
  return flip ? n - k : k;
}

// Hörmann's BTRD (1993): transformed rejection with a squeeze, for n·p >= 10, p <= 1/2.
// Costs a few uniforms per draw and no set-up tables, which matters because the samplers
// draw with a new n and p almost every time.
int64_t Random::BinomialRejection(int64_t n, double p) {
  const double nd = static_cast<double>(n);
  const double m = std::floor((nd + 1) * p);
  const double r = p / (1 - p), nr = (nd + 1) * r, npq = nd * p * (1 - p);
  const double sq = std::sqrt(npq);
  const double b = 1.15 + 2.53 * sq;
  const double a = -0.0873 + 0.0248 * b + 0.01 * p;
  const double c = nd * p + 0.5;
  const double alpha = (2.83 + 5.1 / b) * sq;
  const double vr = 0.92 - 4.2 / b;
  const double urvr = 0.86 * vr;
  while (true) {
    double v = Uniform();
    double u;
    if (v <= urvr) {
      u = v / vr - 0.43;
      return static_cast<int64_t>(std::floor((2 * a / (0.5 - std::fabs(u)) + b) * u + c));
    }
    if (v >= vr) {
      u = Uniform() - 0.5;
    } else {
      u = v / vr - 0.93;
      u = (u < 0 ? -0.5 : 0.5) - u;
      v = Uniform() * vr;
    }
    const double us = 0.5 - std::fabs(u);
    const double kd = std::floor((2 * a / us + b) * u + c);
    if (kd < 0 || kd > nd) continue;
    v = v * alpha / (a / (us * us) + b);
    const double km = std::fabs(kd - m);
    if (km <= 15) {
      // Recursive evaluation of f(k) / f(m).
      double f = 1;
      const int64_t mi = static_cast<int64_t>(m), ki = static_cast<int64_t>(kd);
      for (int64_t i = mi + 1; i <= ki; ++i) f *= nr / static_cast<double>(i) - r;
      for (int64_t i = ki + 1; i <= mi; ++i) v *= nr / static_cast<double>(i) - r;
      if (v <= f) return static_cast<int64_t>(kd);
      continue;
    }
    v = std::log(v);
    const double rho = (km / npq) * (((km / 3 + 0.625) * km + 1.0 / 6) / npq + 0.5);
    const double t = -km * km / (2 * npq);
    if (v < t - rho) return static_cast<int64_t>(kd);
    if (v > t + rho) continue;
    // Exact test with Stirling corrections fc(x) = log x! − Stirling(x).
    auto fc = [](double x) {
      return std::lgamma(x + 1) - ((x + 0.5) * std::log(x + 1) - (x + 1) + 0.9189385332046727);
    };
    const double nm = nd - m + 1;
    const double h = (m + 0.5) * std::log((m + 1) / (r * nm)) + fc(m) + fc(nd - m);
    const double nk = nd - kd + 1;
    if (v <= h + (nd + 1) * std::log(nm / nk) + (kd + 0.5) * std::log(nk * r / (kd + 1)) - fc(kd) -
                 fc(nd - kd)) {
      return static_cast<int64_t>(kd);
    }
  }
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
