// Multiple systems estimation: how many people are on none of the lists. The public entry
// point for the CLI (`izde estimate`): read a capture table, Run one method, then print
// the report with ToText / ToJson (report.h) or draw it with WriteSvgPlot (svg_plot.h).
// docs/estimation.md explains the methods and their output for coordinators.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "estimate/capture_table.h"
#include "estimate/dga.h"
#include "estimate/lcmcr.h"
#include "estimate/loglinear.h"

namespace izde::estimate {

enum class Method { kLoglinear, kLcmcr, kDga };

Result<Method> ParseMethod(const std::string& name);        // loglinear | lcmcr | dga
Result<Criterion> ParseCriterion(const std::string& name);  // bic | aic
std::string MethodName(Method m);

// What a list covers, when the caller knows it (from the vault's source records). Lists
// covering different populations or periods break the method's central assumption.
struct ListCoverage {
  std::string list;
  std::string population;  // e.g. "Kazakhs detained in Xinjiang"
  std::string period;      // e.g. "2017-2019"
};

struct EstimateOptions {
  Method method = Method::kLoglinear;
  double confidence = 0.95;
  // loglinear
  Criterion criterion = Criterion::kBic;
  int runner_ups = 4;  // leading models shown after the chosen one
  int max_order = 3;   // interaction order searched beyond 5 lists
  // lcmcr
  int classes = 0;  // K; 0 = min(2^lists − 1, 15)
  int chains = 4;
  int burn_in = 10000;
  int samples = 1000;
  int thinning = 20;
  uint64_t seed = 1;
  double a_alpha = 0.25, b_alpha = 0.25;
  int threads = 0;
  // dga
  double delta = 0;  // 0 = 2^-lists
  PopulationPrior prior = PopulationPrior::kInverseN;
  double prior_a = 13.14, prior_b = 55.17;
  int64_t min_missing = 0;
  int64_t max_missing = 0;  // 0 = max(10 n, 1000)
  int top_graphs = 5;
  // all methods
  std::vector<ListCoverage> coverage;
};

struct Stratum;

struct EstimateReport {
  Method method = Method::kLoglinear;
  EstimateOptions options;
  std::vector<std::string> lists;
  int64_t n_observed = 0;
  // Empty when no trustworthy number exists (e.g. no model has a finite MLE): the
  // warnings then say why, and nothing is printed in its place.
  std::optional<double> estimate, ci_low, ci_high;
  bool ci_high_unbounded = false;
  std::string model;
  std::vector<std::string> warnings;
  std::optional<LoglinearResult> loglinear;
  std::optional<LcmcrResult> lcmcr;
  std::optional<DgaResult> dga;
  // dga only: the posterior median under other values of delta (delta, median), the
  // check behind the prior-sensitivity warning.
  std::vector<std::pair<double, double>> dga_delta_sensitivity;
  // Set by SumStrata (strata.h): the per-stratum reports behind a summed total.
  std::vector<Stratum> strata;
};

// One stratum's estimate, e.g. {"Ghulja prefecture", report}.
struct Stratum {
  std::string name;
  EstimateReport report;
};

Result<EstimateReport> Run(const CaptureTable& table, const EstimateOptions& options);

}  // namespace izde::estimate
