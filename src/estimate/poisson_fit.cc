#include "estimate/poisson_fit.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace izde::estimate {
namespace {

constexpr int kMaxIterations = 100;
constexpr int kMaxStepHalvings = 30;
constexpr double kRelativeTolerance = 1e-11;
// A zero cell fitted below this fraction of the largest fitted cell marks a boundary fit.
constexpr double kBoundaryRatio = 1e-7;

// In-place Cholesky factor of the p×p matrix a (row-major, lower triangle). Returns false
// when the matrix is not positive definite (columns not identifiable).
bool Cholesky(std::vector<double>& a, int p) {
  for (int j = 0; j < p; ++j) {
    double d = a[j * p + j];
    for (int k = 0; k < j; ++k) d -= a[j * p + k] * a[j * p + k];
    if (!(d > 1e-300)) return false;
    d = std::sqrt(d);
    a[j * p + j] = d;
    for (int i = j + 1; i < p; ++i) {
      double s = a[i * p + j];
      for (int k = 0; k < j; ++k) s -= a[i * p + k] * a[j * p + k];
      a[i * p + j] = s / d;
    }
  }
  return true;
}

void CholeskySolve(const std::vector<double>& l, int p, std::vector<double>& b) {
  for (int i = 0; i < p; ++i) {
    double s = b[i];
    for (int k = 0; k < i; ++k) s -= l[i * p + k] * b[k];
    b[i] = s / l[i * p + i];
  }
  for (int i = p - 1; i >= 0; --i) {
    double s = b[i];
    for (int k = i + 1; k < p; ++k) s -= l[k * p + i] * b[k];
    b[i] = s / l[i * p + i];
  }
}

double Deviance(const std::vector<double>& y, const std::vector<double>& mu) {
  double d = 0;
  for (size_t i = 0; i < y.size(); ++i) {
    d += (y[i] > 0 ? y[i] * std::log(y[i] / mu[i]) : 0.0) - (y[i] - mu[i]);
  }
  return 2 * d;
}

}  // namespace

PoissonFit FitPoisson(const PoissonDesign& design, const std::vector<double>& y,
                      const std::vector<double>& start) {
  const int n = static_cast<int>(design.cells.size());
  const int p = static_cast<int>(design.columns.size());
  // Dense 0/1 design; tables here have at most a few dozen cells.
  std::vector<double> x(static_cast<size_t>(n) * p);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < p; ++j) {
      uint32_t c = design.columns[j];
      x[i * p + j] = (design.cells[i] & c) == c ? 1.0 : 0.0;
    }
  }
  PoissonFit fit;
  fit.beta.assign(p, 0.0);
  fit.mu.assign(n, 0.0);
  std::vector<double> eta(n);
  auto set_mu = [&](const std::vector<double>& beta) {
    for (int i = 0; i < n; ++i) {
      double e = 0;
      for (int j = 0; j < p; ++j) e += x[i * p + j] * beta[j];
      eta[i] = e;
      fit.mu[i] = std::exp(e);
    }
  };
  if (static_cast<int>(start.size()) == p) {
    fit.beta = start;
    set_mu(fit.beta);
  } else {
    // The usual start: the data themselves, nudged off zero.
    for (int i = 0; i < n; ++i) {
      fit.mu[i] = y[i] + 0.5;
      eta[i] = std::log(fit.mu[i]);
    }
  }
  double deviance = Deviance(y, fit.mu);
  std::vector<double> xtwx(static_cast<size_t>(p) * p), rhs(p), candidate(p);
  bool have_beta = static_cast<int>(start.size()) == p;
  for (int iter = 0; iter < kMaxIterations; ++iter) {
    std::fill(xtwx.begin(), xtwx.end(), 0.0);
    std::fill(rhs.begin(), rhs.end(), 0.0);
    for (int i = 0; i < n; ++i) {
      const double w = fit.mu[i];
      const double z = eta[i] + (y[i] - fit.mu[i]) / fit.mu[i];
      const double* xi = &x[i * p];
      for (int a = 0; a < p; ++a) {
        if (xi[a] == 0) continue;
        rhs[a] += w * z;
        for (int b = 0; b <= a; ++b) xtwx[a * p + b] += w * xi[b];
      }
    }
    if (!Cholesky(xtwx, p)) {
      fit.converged = false;
      fit.on_boundary = true;
      break;
    }
    candidate = rhs;
    CholeskySolve(xtwx, p, candidate);
    double new_deviance = std::numeric_limits<double>::infinity();
    std::vector<double> trial = candidate;
    for (int h = 0; h <= kMaxStepHalvings; ++h) {
      set_mu(trial);
      new_deviance = Deviance(y, fit.mu);
      if (!have_beta || (std::isfinite(new_deviance) && new_deviance <= deviance + 1e-12)) break;
      for (int j = 0; j < p; ++j) trial[j] = 0.5 * (trial[j] + fit.beta[j]);
    }
    fit.beta = trial;
    have_beta = true;
    const double change = std::fabs(new_deviance - deviance);
    deviance = new_deviance;
    if (change < kRelativeTolerance * (std::fabs(deviance) + 0.1)) {
      fit.converged = true;
      break;
    }
  }
  fit.deviance = deviance;
  // Variance of the intercept: first element of (X'WX)^-1 at the fitted means.
  std::fill(xtwx.begin(), xtwx.end(), 0.0);
  for (int i = 0; i < n; ++i) {
    const double* xi = &x[i * p];
    for (int a = 0; a < p; ++a) {
      if (xi[a] == 0) continue;
      for (int b = 0; b <= a; ++b) xtwx[a * p + b] += fit.mu[i] * xi[b];
    }
  }
  if (Cholesky(xtwx, p)) {
    std::vector<double> e0(p, 0.0);
    e0[0] = 1.0;
    CholeskySolve(xtwx, p, e0);
    fit.intercept_variance = e0[0];
  } else {
    fit.intercept_variance = std::numeric_limits<double>::infinity();
    fit.on_boundary = true;
  }
  double largest = *std::max_element(fit.mu.begin(), fit.mu.end());
  double ll = 0;
  for (int i = 0; i < n; ++i) {
    if (y[i] == 0 && fit.mu[i] < kBoundaryRatio * largest) fit.on_boundary = true;
    ll += (y[i] > 0 ? y[i] * std::log(fit.mu[i]) : 0.0) - fit.mu[i] - std::lgamma(y[i] + 1);
  }
  fit.log_likelihood = ll;
  return fit;
}

}  // namespace izde::estimate
