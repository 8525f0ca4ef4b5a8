// Log-linear multiple systems estimation: fit hierarchical Poisson log-linear models to
// the observed cells, rank them by an information criterion, and estimate the unseen
// cell from the chosen model (Fienberg 1972; Rcapture's closedp conventions).
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "estimate/capture_table.h"
#include "estimate/hierarchical_model.h"

namespace izde::estimate {

enum class Criterion { kBic, kAic };

struct LoglinearOptions {
  Criterion criterion = Criterion::kBic;
  double confidence = 0.95;
  // Profile intervals are computed for this many leading models (the chosen one and its
  // runner-ups); each costs a few dozen refits.
  int models_with_interval = 5;
  // Beyond kExhaustiveLists lists a stepwise search replaces enumeration, over
  // interactions of at most this many lists.
  int max_order = 3;
};

// Up to this many lists every hierarchical model is fitted.
inline constexpr int kExhaustiveLists = 5;

struct LoglinearFit {
  HierarchicalModel model;
  std::string brackets;
  int parameters = 0;
  int df = 0;
  double deviance = 0;
  double aic = 0;
  double bic = 0;
  double estimate = 0;  // N̂ = observed + fitted unseen cell
  double se = 0;
  bool mle_exists = true;
  bool unstable = false;  // SE larger than half the estimate
  std::string problem;    // why the MLE does not exist, in words
  bool has_interval = false;
  double ci_low = 0;
  double ci_high = 0;
  bool ci_high_unbounded = false;

  double Score(Criterion c) const { return c == Criterion::kBic ? bic : aic; }
};

struct LoglinearResult {
  std::vector<LoglinearFit> ranked;  // models with an MLE, best first
  std::vector<LoglinearFit> no_mle;  // models whose MLE does not exist
  bool exhaustive = true;            // false when a stepwise search was used
  int models_fitted = 0;
};

// Fits one model; the interval is left empty.
LoglinearFit FitLoglinearModel(const CaptureTable& table, const HierarchicalModel& model);

Result<LoglinearResult> FitLoglinear(const CaptureTable& table, const LoglinearOptions& options);

}  // namespace izde::estimate
