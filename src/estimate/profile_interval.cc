#include "estimate/profile_interval.h"

#include <algorithm>
#include <cmath>

#include "estimate/poisson_fit.h"

namespace izde::estimate {
namespace {

// Upper limits beyond this multiple of the observed count are reported as unbounded.
constexpr double kUnboundedFactor = 1e4;
constexpr double kRootTolerance = 1e-3;

class Profile {
 public:
  Profile(const CaptureTable& table, const HierarchicalModel& model, Refit refit) : refit_(refit) {
    const uint32_t cells = static_cast<uint32_t>(table.counts.size());
    for (uint32_t c = 0; c < cells; ++c) design_.cells.push_back(c);
    design_.columns.push_back(0);
    for (int i = 0; i < table.num_lists(); ++i) design_.columns.push_back(1u << i);
    for (uint32_t t : model.interactions) design_.columns.push_back(t);
    y_.assign(table.counts.begin(), table.counts.end());
    observed_ = static_cast<double>(table.observed());
  }

  double observed() const { return observed_; }

  // Multinomial log-likelihood of the completed table at population size n_total,
  // maximised over the model's parameters; constants in N are dropped.
  double operator()(double n_total) {
    y_[0] = n_total - observed_;
    PoissonFit fit = FitPoisson(design_, y_, warm_);
    if (fit.converged && refit_ == Refit::kWarmStart) warm_ = fit.beta;
    double ll = std::lgamma(n_total + 1) - std::lgamma(y_[0] + 1);
    for (size_t c = 0; c < y_.size(); ++c) {
      if (y_[c] > 0) ll += y_[c] * std::log(fit.mu[c] / n_total);
    }
    return ll;
  }

 private:
  PoissonDesign design_;
  std::vector<double> y_;
  std::vector<double> warm_;
  double observed_ = 0;
  Refit refit_;
};

// Root of f between a (f(a) > 0) and b (f(b) < 0) by the Illinois variant of regula falsi.
template <typename F>
double Root(F& f, double a, double fa, double b, double fb) {
  int side = 0;
  for (int i = 0; i < 100 && std::fabs(b - a) > kRootTolerance; ++i) {
    double c = (a * fb - b * fa) / (fb - fa);
    double fc = f(c);
    if ((fc > 0) == (fa > 0)) {
      a = c;
      fa = fc;
      if (side == -1) fb /= 2;
      side = -1;
    } else {
      b = c;
      fb = fc;
      if (side == 1) fa /= 2;
      side = 1;
    }
    if (fc == 0) return c;
  }
  return (a + b) / 2;
}

}  // namespace

double ChiSquare1Quantile(double probability) {
  // chi2_1 quantile is the square of the normal quantile at (1 + p) / 2; bisection on erf
  // is plenty for the handful of calls made.
  double target = (1 + probability) / 2, lo = 0, hi = 40;
  for (int i = 0; i < 200; ++i) {
    double mid = (lo + hi) / 2;
    double cdf = 0.5 * std::erfc(-mid / std::sqrt(2.0));
    (cdf < target ? lo : hi) = mid;
  }
  double z = (lo + hi) / 2;
  return z * z;
}

ProfileInterval ProfileLikelihoodInterval(const CaptureTable& table, const HierarchicalModel& model,
                                          double estimate, double se, double confidence,
                                          Refit refit) {
  Profile profile(table, model, refit);
  const double n = profile.observed();
  if (!(se > 0) || !std::isfinite(se)) se = std::max(1.0, 0.1 * estimate);
  // The multinomial maximum lies within a person or so of the Poisson estimate: one
  // parabolic step from three nearby points finds it to well within the tolerance needed.
  double h = std::max(0.5, 0.05 * se);
  double center = std::max(estimate, n + h);
  double f0 = profile(center - h), f1 = profile(center), f2 = profile(center + h);
  double best = f1;
  double denom = f0 - 2 * f1 + f2;
  if (denom < 0) {
    double vertex = center + h * (f0 - f2) / (2 * denom);
    if (vertex > n && std::fabs(vertex - center) < 4 * h) {
      center = vertex;
      best = std::max(best, profile(vertex));
    }
  }
  best = std::max({best, f0, f2});
  const double target = best - ChiSquare1Quantile(confidence) / 2;
  auto f = [&](double x) { return profile(x) - target; };
  ProfileInterval out;
  // Lower limit: walk down from the centre until the likelihood drops below target.
  double inner = center, f_inner = best - target;
  double step = 2 * se;
  out.low = n;
  while (true) {
    double x = std::max(n, inner - step);
    double fx = f(x);
    if (fx < 0) {
      out.low = Root(f, inner, f_inner, x, fx);
      break;
    }
    if (x <= n) break;
    inner = x;
    f_inner = fx;
    step *= 2;
  }
  inner = center;
  f_inner = best - target;
  step = 2 * se;
  const double cap = n * kUnboundedFactor;
  while (true) {
    double x = std::min(cap, inner + step);
    double fx = f(x);
    if (fx < 0) {
      out.high = Root(f, inner, f_inner, x, fx);
      break;
    }
    if (x >= cap) {
      out.high = cap;
      out.high_unbounded = true;
      break;
    }
    inner = x;
    f_inner = fx;
    step *= 2;
  }
  return out;
}

}  // namespace izde::estimate
