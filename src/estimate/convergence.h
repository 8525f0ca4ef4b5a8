// Convergence diagnostics for several MCMC chains of one scalar (here N): the split
// potential scale reduction R-hat (Gelman et al., BDA3 §11.4) and the effective sample
// size with Geyer's initial positive sequence.
#pragma once

#include <vector>

namespace izde::estimate {

// Near 1 when the chains agree; above about 1.1 they have not mixed.
double SplitRhat(const std::vector<std::vector<double>>& chains);

// How many independent draws the autocorrelated chains are worth together.
double EffectiveSampleSize(const std::vector<std::vector<double>>& chains);

}  // namespace izde::estimate
