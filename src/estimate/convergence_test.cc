#include "estimate/convergence.h"

#include <gtest/gtest.h>

#include <cmath>

#include "estimate/random.h"

namespace izde::estimate {
namespace {

// An AR(1) chain x_t = phi x_{t-1} + e_t has integrated autocorrelation time
// (1 + phi) / (1 − phi).
std::vector<double> Ar1(Random& rng, double phi, int n, double offset) {
  std::vector<double> x(n);
  double v = 0;
  for (int i = 0; i < n; ++i) {
    v = phi * v + rng.Normal();
    x[i] = v + offset;
  }
  return x;
}

TEST(Convergence, IndependentDrawsHaveFullSampleSize) {
  Random rng(1, 0);
  std::vector<std::vector<double>> chains = {Ar1(rng, 0, 4000, 0), Ar1(rng, 0, 4000, 0)};
  EXPECT_NEAR(EffectiveSampleSize(chains), 8000, 800);
  EXPECT_NEAR(SplitRhat(chains), 1.0, 0.01);
}

TEST(Convergence, AutocorrelatedDrawsCountLess) {
  Random rng(2, 0);
  std::vector<std::vector<double>> chains;
  for (int c = 0; c < 4; ++c) chains.push_back(Ar1(rng, 0.9, 20000, 0));
  // Expected 80,000 / 19 ≈ 4,210.
  EXPECT_NEAR(EffectiveSampleSize(chains), 4210, 800);
}

TEST(Convergence, ChainsInDifferentPlacesHaveLargeRhat) {
  Random rng(3, 0);
  std::vector<std::vector<double>> chains = {Ar1(rng, 0.5, 2000, 0), Ar1(rng, 0.5, 2000, 5)};
  EXPECT_GT(SplitRhat(chains), 1.5);
}

// The binomial sampler against its exact distribution, on both of its algorithms
// (inversion below mean 10, rejection above): a chi-square goodness-of-fit statistic.
void ExpectBinomialFits(int64_t n, double p) {
  Random rng(5, static_cast<uint64_t>(n));
  const int draws = 200000;
  std::vector<double> seen(n + 1, 0.0);
  for (int i = 0; i < draws; ++i) seen[rng.Binomial(n, p)] += 1;
  double chi2 = 0;
  int cells = 0;
  for (int64_t k = 0; k <= n; ++k) {
    const double log_pmf = std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0) +
                           k * std::log(p) + (n - k) * std::log1p(-p);
    const double expected = draws * std::exp(log_pmf);
    if (expected < 20) continue;
    chi2 += (seen[k] - expected) * (seen[k] - expected) / expected;
    ++cells;
  }
  // Mean of chi-square is its degrees of freedom, sd sqrt(2 df): allow 5 sd.
  EXPECT_LT(chi2, cells + 5 * std::sqrt(2.0 * cells)) << "n " << n << " p " << p;
}

TEST(Random, BinomialMatchesItsDistribution) {
  ExpectBinomialFits(30, 0.2);
  ExpectBinomialFits(100, 0.3);
  ExpectBinomialFits(1000, 0.45);
  ExpectBinomialFits(5000, 0.9);
  ExpectBinomialFits(200, 0.06);
}

TEST(Random, DistributionMeans) {
  Random rng(4, 0);
  const int n = 200000;
  double g = 0, b = 0, bin = 0, bin_large = 0, nb = 0;
  for (int i = 0; i < n; ++i) {
    g += rng.Gamma(0.4);
    b += rng.Beta(2, 6);
    bin += static_cast<double>(rng.Binomial(10, 0.3));
    bin_large += static_cast<double>(rng.Binomial(5000, 0.7));
    nb += static_cast<double>(rng.NegativeBinomial(50, 0.4));
  }
  EXPECT_NEAR(g / n, 0.4, 0.01);
  EXPECT_NEAR(b / n, 0.25, 0.005);
  EXPECT_NEAR(bin / n, 3.0, 0.02);
  EXPECT_NEAR(bin_large / n, 3500, 1);
  EXPECT_NEAR(nb / n, 75, 0.5);  // size (1 − p) / p
}

}  // namespace
}  // namespace izde::estimate
