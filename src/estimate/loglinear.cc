#include "estimate/loglinear.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "estimate/poisson_fit.h"
#include "estimate/profile_interval.h"

namespace izde::estimate {
namespace {

constexpr double kUnstableRelativeSe = 0.5;

std::string ListNames(const CaptureTable& table, uint32_t mask) {
  std::string out;
  for (int i = 0; i < table.num_lists(); ++i) {
    if (mask & (1u << i)) out += (out.empty() ? "" : " & ") + table.lists[i];
  }
  return out;
}

// A term whose margin is empty (nobody is on all of its lists at once) sends its
// parameter to minus infinity: the commonest and most explainable reason for no MLE.
std::string EmptyMarginProblem(const CaptureTable& table, const HierarchicalModel& model) {
  for (uint32_t t : model.interactions) {
    int64_t margin = 0;
    for (uint32_t c = 1; c < table.counts.size(); ++c) {
      if ((c & t) == t) margin += table.counts[c];
    }
    if (margin == 0) {
      return "nobody is on all of " + ListNames(table, t) +
             ", so their interaction cannot be estimated";
    }
  }
  return "";
}

std::vector<LoglinearFit> StepwiseSearch(const CaptureTable& table,
                                         const LoglinearOptions& options) {
  std::map<std::vector<uint32_t>, LoglinearFit> seen;
  auto fit = [&](const HierarchicalModel& m) -> const LoglinearFit& {
    auto it = seen.find(m.interactions);
    if (it == seen.end()) it = seen.emplace(m.interactions, FitLoglinearModel(table, m)).first;
    return it->second;
  };
  auto score = [&](const LoglinearFit& f) {
    return f.mle_exists ? f.Score(options.criterion) : std::numeric_limits<double>::infinity();
  };
  HierarchicalModel current;
  double current_score = score(fit(current));
  while (true) {
    HierarchicalModel best_next;
    double best_score = current_score;
    auto consider = [&](HierarchicalModel m) {
      std::sort(m.interactions.begin(), m.interactions.end(), [](uint32_t a, uint32_t b) {
        int pa = std::popcount(a), pb = std::popcount(b);
        return pa != pb ? pa < pb : a < b;
      });
      double s = score(fit(m));
      if (s < best_score) {
        best_score = s;
        best_next = m;
      }
    };
    for (uint32_t t : AddableInteractions(current, table.num_lists(), options.max_order)) {
      HierarchicalModel m = current;
      m.interactions.push_back(t);
      consider(m);
    }
    for (uint32_t t : RemovableInteractions(current)) {
      HierarchicalModel m = current;
      m.interactions.erase(std::find(m.interactions.begin(), m.interactions.end(), t));
      consider(m);
    }
    if (!(best_score < current_score - 1e-9)) break;
    current = best_next;
    current_score = best_score;
  }
  std::vector<LoglinearFit> out;
  for (auto& [terms, f] : seen) out.push_back(std::move(f));
  return out;
}

}  // namespace

LoglinearFit FitLoglinearModel(const CaptureTable& table, const HierarchicalModel& model) {
  const int k = table.num_lists();
  PoissonDesign design;
  std::vector<double> y;
  for (uint32_t c = 1; c < table.counts.size(); ++c) {
    design.cells.push_back(c);
    y.push_back(static_cast<double>(table.counts[c]));
  }
  design.columns.push_back(0);
  for (int i = 0; i < k; ++i) design.columns.push_back(1u << i);
  for (uint32_t t : model.interactions) design.columns.push_back(t);
  PoissonFit pf = FitPoisson(design, y);

  LoglinearFit f;
  f.model = model;
  f.brackets = model.Brackets(k);
  f.parameters = static_cast<int>(design.columns.size());
  f.df = static_cast<int>(design.cells.size()) - f.parameters;
  f.deviance = pf.deviance;
  const double n = static_cast<double>(table.observed());
  f.aic = -2 * pf.log_likelihood + 2 * f.parameters;
  f.bic = -2 * pf.log_likelihood + std::log(n) * f.parameters;
  const double unseen = std::exp(pf.beta[0]);
  f.estimate = n + unseen;
  // Delta method on the intercept plus the Poisson variation of the unseen cell itself.
  f.se = std::sqrt(unseen * unseen * pf.intercept_variance + unseen);
  f.problem = EmptyMarginProblem(table, model);
  if (f.problem.empty() && (pf.on_boundary || !pf.converged)) {
    f.problem = "the fit runs to the edge of the parameter space (some cells are empty)";
  }
  if (!std::isfinite(f.estimate) || !std::isfinite(f.se)) {
    f.problem = "the estimate is infinite: the lists carry no information on the unseen";
  }
  f.mle_exists = f.problem.empty();
  f.unstable = f.mle_exists && f.se > kUnstableRelativeSe * f.estimate;
  return f;
}

Result<LoglinearResult> FitLoglinear(const CaptureTable& table, const LoglinearOptions& options) {
  if (table.num_lists() < 2) return Status::InvalidInput("log-linear models need 2+ lists");
  if (!(options.confidence > 0 && options.confidence < 1)) {
    return Status::InvalidInput("the confidence level must lie between 0 and 1");
  }
  LoglinearResult result;
  std::vector<LoglinearFit> fits;
  if (table.num_lists() <= kExhaustiveLists) {
    for (const HierarchicalModel& m : AllHierarchicalModels(table.num_lists())) {
      fits.push_back(FitLoglinearModel(table, m));
    }
  } else {
    result.exhaustive = false;
    fits = StepwiseSearch(table, options);
  }
  result.models_fitted = static_cast<int>(fits.size());
  for (LoglinearFit& f : fits) (f.mle_exists ? result.ranked : result.no_mle).push_back(f);
  std::stable_sort(result.ranked.begin(), result.ranked.end(),
                   [&](const LoglinearFit& a, const LoglinearFit& b) {
                     return a.Score(options.criterion) < b.Score(options.criterion);
                   });
  const int with_interval =
      std::min<int>(options.models_with_interval, static_cast<int>(result.ranked.size()));
  for (int i = 0; i < with_interval; ++i) {
    LoglinearFit& f = result.ranked[i];
    ProfileInterval ci =
        ProfileLikelihoodInterval(table, f.model, f.estimate, f.se, options.confidence);
    f.has_interval = true;
    f.ci_low = ci.low;
    f.ci_high = ci.high;
    f.ci_high_unbounded = ci.high_unbounded;
  }
  return result;
}

}  // namespace izde::estimate
