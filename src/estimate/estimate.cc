#include "estimate/estimate.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "estimate/data_warnings.h"
#include "estimate/report.h"

namespace izde::estimate {
namespace {

// Runner-ups within this criterion distance of the chosen model fit about as well.
constexpr double kCloseCriterion = 4;
// dga medians moving by more than this share across the delta grid are flagged.
constexpr double kDeltaShift = 0.10;
// The grid, as multiples of the chosen delta: wide, because the effect is not monotone
// (Kosovo: delta 1/256 gives 8,977, 1/16 gives 12,595, 1 gives 4,616).
constexpr double kDeltaFactors[] = {1.0 / 16, 1.0 / 4, 4, 16};
// Convergence thresholds for the latent-class sampler (Vehtari et al. 2021 use 1.01 and
// 400; these flag only clear failures).
constexpr double kMaxRhat = 1.1;
constexpr double kMinEffectiveSamples = 200;

std::string Round(double x) { return FormatCount(x); }

std::string Fixed(double x, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  return buf;
}

Status RunLoglinear(const CaptureTable& table, const EstimateOptions& o, EstimateReport& r) {
  LoglinearOptions lo;
  lo.criterion = o.criterion;
  lo.confidence = o.confidence;
  lo.models_with_interval = 1 + std::max(0, o.runner_ups);
  lo.max_order = o.max_order;
  IZDE_ASSIGN_OR_RETURN(LoglinearResult result, FitLoglinear(table, lo));
  const char* crit = o.criterion == Criterion::kBic ? "BIC" : "AIC";
  if (!result.exhaustive) {
    r.warnings.push_back("with " + std::to_string(table.num_lists()) +
                         " lists not every model can be fitted: a stepwise search over "
                         "interactions of up to " +
                         std::to_string(o.max_order) +
                         " lists chose the model, and a better one may exist");
  }
  if (result.ranked.empty()) {
    r.warnings.push_back(
        "no log-linear model has a finite maximum-likelihood estimate for this table (" +
        (result.no_mle.empty() ? std::string("no model fitted") : result.no_mle[0].problem) +
        "): no estimate is given; try --method lcmcr or dga, or merge sparse lists");
    r.loglinear = std::move(result);
    return Status::Ok();
  }
  const LoglinearFit& best = result.ranked[0];
  r.model = best.brackets;
  r.estimate = best.estimate;
  r.ci_low = best.ci_low;
  r.ci_high = best.ci_high;
  r.ci_high_unbounded = best.ci_high_unbounded;
  int better_without_mle = 0;
  for (const LoglinearFit& f : result.no_mle) {
    if (f.Score(o.criterion) < best.Score(o.criterion)) ++better_without_mle;
  }
  if (better_without_mle > 0) {
    r.warnings.push_back(std::to_string(better_without_mle) +
                         " models that would fit better have no finite estimate (" +
                         result.no_mle[0].problem +
                         ") and were set aside: the table is too sparse for them");
  }
  const size_t shown = std::min<size_t>(result.ranked.size(), 1 + std::max(0, o.runner_ups));
  for (size_t i = 1; i < shown; ++i) {
    const LoglinearFit& f = result.ranked[i];
    const double gap = f.Score(o.criterion) - best.Score(o.criterion);
    if (gap > kCloseCriterion) break;
    const bool outside =
        f.estimate < best.ci_low || f.estimate > best.ci_high ||
        (f.has_interval && (best.estimate < f.ci_low || best.estimate > f.ci_high));
    if (outside) {
      r.warnings.push_back("model choice matters: " + f.brackets + " fits almost as well (" + crit +
                           " " + Fixed(f.Score(o.criterion), 2) + " against " +
                           Fixed(best.Score(o.criterion), 2) + ") but estimates " +
                           Round(f.estimate) + " instead of " + Round(best.estimate) +
                           ", outside the interval; report the spread of the leading models");
      break;
    }
  }
  // An unstable estimate is withheld rather than printed: a number on a press release
  // outlives its caveats. The figures stay in the details for an expert.
  if (best.unstable || best.ci_high_unbounded) {
    r.warnings.push_back(
        "no estimate is given: the chosen model " + best.brackets +
        (best.unstable ? " is unstable (standard error " + Round(best.se) +
                             " against an estimate of " + Round(best.estimate) + ")"
                       : " has an interval with no upper limit") +
        ", so the lists say too little about how many were missed (usually too little "
        "overlap or too many sparse cells); its figures are in the details for experts; "
        "try --method lcmcr or dga, add lists or merge sparse ones");
    r.estimate.reset();
    r.ci_low.reset();
    r.ci_high.reset();
    r.ci_high_unbounded = false;
  }
  r.loglinear = std::move(result);
  return Status::Ok();
}

Status RunLatentClass(const CaptureTable& table, const EstimateOptions& o, EstimateReport& r) {
  LcmcrOptions lo;
  lo.classes = o.classes;
  lo.chains = o.chains;
  lo.burn_in = o.burn_in;
  lo.samples = o.samples;
  lo.thinning = o.thinning;
  lo.seed = o.seed;
  lo.a_alpha = o.a_alpha;
  lo.b_alpha = o.b_alpha;
  lo.confidence = o.confidence;
  lo.threads = o.threads;
  IZDE_ASSIGN_OR_RETURN(LcmcrResult result, RunLcmcr(table, lo));
  r.model = "latent classes, K = " + std::to_string(result.classes);
  r.estimate = result.median;
  r.ci_low = result.ci_low;
  r.ci_high = result.ci_high;
  const bool rhat_bad = o.chains > 1 && !(result.rhat <= kMaxRhat);
  if (rhat_bad || result.effective_samples < kMinEffectiveSamples) {
    r.warnings.push_back(
        "the sampler has not converged well (R-hat " + Fixed(result.rhat, 3) +
        ", effective samples " + Round(result.effective_samples) +
        "): the figures may move on a rerun; increase --burn-in, --samples or --thinning");
  }
  r.lcmcr = std::move(result);
  return Status::Ok();
}

Status RunGraphAveraging(const CaptureTable& table, const EstimateOptions& o, EstimateReport& r) {
  DgaOptions d;
  d.delta = o.delta;
  d.prior = o.prior;
  d.prior_a = o.prior_a;
  d.prior_b = o.prior_b;
  d.min_missing = o.min_missing;
  d.max_missing = o.max_missing;
  d.confidence = o.confidence;
  d.top_graphs = o.top_graphs;
  IZDE_ASSIGN_OR_RETURN(DgaResult result, RunDga(table, d));
  r.model = result.top.empty() ? "" : result.top[0].notation;
  r.estimate = result.median;
  r.ci_low = result.ci_low;
  r.ci_high = result.ci_high;
  if (result.mass_near_range_end > 1e-3) {
    r.warnings.push_back(
        "the posterior reaches the end of the range of unseen people "
        "considered: raise the maximum number missing");
  }
  double lowest = result.median, highest = result.median;
  for (double factor : kDeltaFactors) {
    DgaOptions other = d;
    other.delta = result.delta * factor;
    other.top_graphs = 0;
    Result<DgaResult> alt = RunDga(table, other);
    if (!alt.ok()) continue;
    r.dga_delta_sensitivity.emplace_back(other.delta, alt->median);
    lowest = std::min(lowest, alt->median);
    highest = std::max(highest, alt->median);
  }
  if (highest - lowest > kDeltaShift * result.median) {
    std::string detail;
    for (const auto& [delta, median] : r.dga_delta_sensitivity) {
      detail += (detail.empty() ? "" : ", ") + Fixed(delta, 4) + " → " + Round(median);
    }
    r.warnings.push_back("the result depends on the prior setting delta (here " +
                         Fixed(result.delta, 4) + " → " + Round(result.median) +
                         "; other deltas: " + detail +
                         "): a large delta favours the model where every list depends on "
                         "every other and can collapse the estimate; report this spread");
  }
  r.dga = std::move(result);
  return Status::Ok();
}

}  // namespace

Result<Method> ParseMethod(const std::string& name) {
  if (name == "loglinear") return Method::kLoglinear;
  if (name == "lcmcr") return Method::kLcmcr;
  if (name == "dga") return Method::kDga;
  return Status::InvalidInput("unknown method '" + name + "': use loglinear, lcmcr or dga");
}

Result<Criterion> ParseCriterion(const std::string& name) {
  if (name == "bic") return Criterion::kBic;
  if (name == "aic") return Criterion::kAic;
  return Status::InvalidInput("unknown criterion '" + name + "': use bic or aic");
}

std::string MethodName(Method m) {
  switch (m) {
    case Method::kLoglinear:
      return "loglinear";
    case Method::kLcmcr:
      return "lcmcr";
    case Method::kDga:
      return "dga";
  }
  return "";
}

Result<EstimateReport> Run(const CaptureTable& table, const EstimateOptions& options) {
  if (!(options.confidence > 0 && options.confidence < 1)) {
    return Status::InvalidInput("the confidence level must lie between 0 and 1");
  }
  EstimateReport r;
  r.method = options.method;
  r.options = options;
  r.lists = table.lists;
  r.n_observed = table.observed();
  r.warnings = DataWarnings(table, options.coverage);
  Status s;
  switch (options.method) {
    case Method::kLoglinear:
      s = RunLoglinear(table, options, r);
      break;
    case Method::kLcmcr:
      s = RunLatentClass(table, options, r);
      break;
    case Method::kDga:
      s = RunGraphAveraging(table, options, r);
      break;
  }
  if (!s.ok()) return s.Within(MethodName(options.method));
  return r;
}

}  // namespace izde::estimate
