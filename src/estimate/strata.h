// Summing estimates over strata (`--stratify hometown|prefecture|birth-decade|gender`):
// the caller runs one estimate per stratum and SumStrata adds them up with an interval.
// Strata are disjoint groups of people, so their totals add; their uncertainties combine
// as independent.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "estimate/estimate.h"

namespace izde::estimate {

// All reports must come from the same method. For lcmcr and dga the posterior draws of the
// strata are summed (dga posteriors are sampled with `seed`); for loglinear the strata's
// interval half-widths are combined in quadrature on each side, an approximation the
// report's warnings state. When a stratum has no estimate, neither has the sum.
Result<EstimateReport> SumStrata(const std::vector<Stratum>& strata, uint64_t seed = 1);

}  // namespace izde::estimate
