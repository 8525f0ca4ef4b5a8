#include "estimate/convergence.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace izde::estimate {
namespace {

double Mean(const std::vector<double>& x) {
  double s = 0;
  for (double v : x) s += v;
  return s / static_cast<double>(x.size());
}

double Variance(const std::vector<double>& x) {
  double m = Mean(x), s = 0;
  for (double v : x) s += (v - m) * (v - m);
  return s / static_cast<double>(x.size() - 1);
}

}  // namespace

double SplitRhat(const std::vector<std::vector<double>>& chains) {
  std::vector<std::vector<double>> halves;
  for (const auto& c : chains) {
    size_t half = c.size() / 2;
    if (half < 2) continue;
    halves.emplace_back(c.begin(), c.begin() + half);
    halves.emplace_back(c.end() - half, c.end());
  }
  if (halves.size() < 2) return std::numeric_limits<double>::quiet_NaN();
  const double n = static_cast<double>(halves[0].size());
  std::vector<double> means;
  double within = 0;
  for (const auto& h : halves) {
    means.push_back(Mean(h));
    within += Variance(h);
  }
  within /= static_cast<double>(halves.size());
  const double between = n * Variance(means);
  if (within <= 0) return between > 0 ? std::numeric_limits<double>::infinity() : 1.0;
  const double pooled = (n - 1) / n * within + between / n;
  return std::sqrt(pooled / within);
}

double EffectiveSampleSize(const std::vector<std::vector<double>>& chains) {
  if (chains.empty()) return 0;
  size_t n = chains[0].size();
  for (const auto& c : chains) n = std::min(n, c.size());
  if (n < 4) return static_cast<double>(n * chains.size());
  const double m = static_cast<double>(chains.size());
  std::vector<double> means, variances;
  for (const auto& c : chains) {
    std::vector<double> x(c.begin(), c.begin() + n);
    means.push_back(Mean(x));
    variances.push_back(Variance(x));
  }
  double within = 0;
  for (double v : variances) within += v;
  within /= m;
  const double between = m > 1 ? static_cast<double>(n) * Variance(means) : 0;
  const double pooled = (n - 1.0) / n * within + between / n;
  if (pooled <= 0) return m * n;
  // Autocorrelation at lag t, combined across chains as in BDA3 (11.7).
  auto rho = [&](size_t t) {
    double v = 0;
    for (size_t c = 0; c < chains.size(); ++c) {
      const auto& x = chains[c];
      double s = 0;
      for (size_t i = 0; i + t < n; ++i) s += (x[i] - means[c]) * (x[i + t] - means[c]);
      v += s / static_cast<double>(n - t);
    }
    v /= m;
    return 1 - (within - v) / pooled;
  };
  double sum = 0;
  // Geyer: add autocorrelations in pairs while the pair sums stay positive.
  for (size_t t = 1; t + 1 < n; t += 2) {
    double pair = rho(t) + rho(t + 1);
    if (pair < 0) break;
    sum += pair;
  }
  const double tau = std::max(1e-3, 1 + 2 * sum);
  return m * static_cast<double>(n) / tau;
}

}  // namespace izde::estimate
