// Multinomial profile-likelihood interval for the population size N under one log-linear
// model (Cormack 1992): for each candidate N the unseen cell holds N − n people, the model
// is refitted to the completed table, and N stays in the interval while twice the drop in
// multinomial log-likelihood from its maximum is below the chi-square(1) quantile.
#pragma once

#include "estimate/capture_table.h"
#include "estimate/hierarchical_model.h"

namespace izde::estimate {

struct ProfileInterval {
  double low = 0;
  double high = 0;
  bool high_unbounded = false;  // the likelihood never drops enough: no upper limit
};

// How each refit starts: from the previous N's solution (fast), or from scratch (the
// textbook way, kept as the benchmark baseline).
enum class Refit { kWarmStart, kColdStart };

// `estimate` and `se` (from the Poisson fit) seed the search. confidence in (0, 1).
ProfileInterval ProfileLikelihoodInterval(const CaptureTable& table, const HierarchicalModel& model,
                                          double estimate, double se, double confidence,
                                          Refit refit = Refit::kWarmStart);

// Quantile of the chi-square distribution with 1 degree of freedom.
double ChiSquare1Quantile(double probability);

}  // namespace izde::estimate
