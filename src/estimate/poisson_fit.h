// Maximum-likelihood fit of a Poisson log-linear model to the cells of a capture table by
// iteratively reweighted least squares (Newton's method for this model).
#pragma once

#include <cstdint>
#include <vector>

namespace izde::estimate {

// Cells are capture patterns (masks); a column is a mask too and holds 1 for every cell
// that contains it, so mask 0 is the intercept, a single bit a list's main effect and a
// larger mask an interaction between lists.
struct PoissonDesign {
  std::vector<uint32_t> cells;
  std::vector<uint32_t> columns;
};

struct PoissonFit {
  std::vector<double> beta;  // per column
  std::vector<double> mu;    // fitted mean per cell
  double deviance = 0;
  double log_likelihood = 0;  // full Poisson log-likelihood, with the log(y!) terms
  double intercept_variance = 0;
  bool converged = false;
  // Some cell with no one in it is fitted as (almost) zero: the likelihood keeps rising
  // as a parameter runs to infinity, so no finite maximum-likelihood estimate exists.
  bool on_boundary = false;
};

// Fits `design` to counts y (one per cell). `start`, when not empty, is a starting beta
// (a neighbouring fit), which saves most iterations when fitting a sequence of tables.
PoissonFit FitPoisson(const PoissonDesign& design, const std::vector<double>& y,
                      const std::vector<double>& start = {});

}  // namespace izde::estimate
