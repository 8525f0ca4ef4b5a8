#include "estimate/strata.h"

#include <algorithm>
#include <cmath>

#include "estimate/random.h"

namespace izde::estimate {
namespace {

// Draws per stratum when posteriors are combined by simulation.
constexpr int kSumDraws = 20000;

double Quantile(const std::vector<double>& sorted, double q) {
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const size_t i = static_cast<size_t>(pos);
  if (i + 1 >= sorted.size()) return sorted.back();
  return sorted[i] + (pos - static_cast<double>(i)) * (sorted[i + 1] - sorted[i]);
}

// kSumDraws draws of N from one stratum's posterior.
std::vector<double> PosteriorDraws(const EstimateReport& r, Random& rng) {
  std::vector<double> out(kSumDraws);
  if (r.lcmcr) {
    std::vector<double> pooled;
    for (const auto& d : r.lcmcr->draws) pooled.insert(pooled.end(), d.begin(), d.end());
    for (double& x : out) {
      x = pooled[std::min(pooled.size() - 1,
                          static_cast<size_t>(rng.Uniform() * static_cast<double>(pooled.size())))];
    }
    return out;
  }
  const DgaResult& g = *r.dga;
  std::vector<double> cdf(g.posterior.size());
  double run = 0;
  for (size_t i = 0; i < cdf.size(); ++i) cdf[i] = run += g.posterior[i];
  const double first = static_cast<double>(r.n_observed + g.min_missing);
  for (double& x : out) {
    const double u = rng.Uniform() * run;
    const size_t i = static_cast<size_t>(std::lower_bound(cdf.begin(), cdf.end(), u) - cdf.begin());
    x = first + static_cast<double>(std::min(i, cdf.size() - 1));
  }
  return out;
}

}  // namespace

Result<EstimateReport> SumStrata(const std::vector<Stratum>& strata, uint64_t seed) {
  if (strata.empty()) return Status::InvalidInput("no strata to add up");
  const Method method = strata[0].report.method;
  EstimateReport sum;
  sum.method = method;
  sum.options = strata[0].report.options;
  sum.lists = strata[0].report.lists;
  sum.model = "sum over " + std::to_string(strata.size()) + " strata";
  bool all_estimated = true;
  for (const Stratum& s : strata) {
    if (s.report.method != method) {
      return Status::InvalidInput("stratum '" + s.name + "' was estimated with " +
                                  MethodName(s.report.method) + ", the others with " +
                                  MethodName(method) + "; use one method for every stratum");
    }
    sum.n_observed += s.report.n_observed;
    for (const std::string& w : s.report.warnings) {
      sum.warnings.push_back("stratum '" + s.name + "': " + w);
    }
    if (!s.report.estimate || !s.report.ci_low || !s.report.ci_high) {
      all_estimated = false;
      sum.warnings.push_back("stratum '" + s.name +
                             "' has no estimate, so neither has the total; merge it with a "
                             "neighbouring stratum or estimate without stratifying");
    }
    sum.strata.push_back({s.name, s.report});
  }
  if (!all_estimated) return sum;
  const double tail = (1 - sum.options.confidence) / 2;
  if (method == Method::kLoglinear) {
    double estimate = 0, below = 0, above = 0;
    for (const Stratum& s : strata) {
      const EstimateReport& r = s.report;
      estimate += *r.estimate;
      below += std::pow(*r.estimate - *r.ci_low, 2);
      above += std::pow(*r.ci_high - *r.estimate, 2);
      sum.ci_high_unbounded = sum.ci_high_unbounded || r.ci_high_unbounded;
    }
    sum.estimate = estimate;
    sum.ci_low = std::max(estimate - std::sqrt(below), static_cast<double>(sum.n_observed));
    sum.ci_high = estimate + std::sqrt(above);
    sum.warnings.push_back(
        "the interval of the total combines the strata's profile "
        "intervals as if independent and symmetric on each side: an "
        "approximation");
    return sum;
  }
  Random rng(seed, 0);
  std::vector<double> total(kSumDraws, 0.0);
  for (const Stratum& s : strata) {
    std::vector<double> draws = PosteriorDraws(s.report, rng);
    for (int i = 0; i < kSumDraws; ++i) total[i] += draws[i];
  }
  std::sort(total.begin(), total.end());
  sum.estimate = Quantile(total, 0.5);
  sum.ci_low = Quantile(total, tail);
  sum.ci_high = Quantile(total, 1 - tail);
  return sum;
}

}  // namespace izde::estimate
