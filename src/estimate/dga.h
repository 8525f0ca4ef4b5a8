// Bayesian model averaging over decomposable graphical models for capture–recapture
// (Madigan & York 1997; the dga R package). Each decomposable graph over the lists is a
// model of their dependence; with a hyper-Dirichlet prior (delta prior people per cell of
// the full table) its marginal likelihood has closed form, so the joint posterior of
// (graph, N) is computed exactly over a range of unseen counts — no sampling.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "estimate/capture_table.h"
#include "estimate/decomposable_graph.h"

namespace izde::estimate {

// The largest table dga handles: 6 lists have 15 pairs, 2^15 graphs to screen.
inline constexpr int kDgaMaxLists = 6;

enum class PopulationPrior {
  kInverseN,          // p(N) ∝ 1/N, the dga default
  kNegativeBinomial,  // Madigan & York's prior with parameters a, b
};

struct DgaOptions {
  double delta = 0;  // 0 picks 2^-lists, the dga recommendation
  PopulationPrior prior = PopulationPrior::kInverseN;
  double prior_a = 13.14;
  double prior_b = 55.17;
  int64_t min_missing = 0;
  int64_t max_missing = 0;  // 0 picks max(10 n, 1000)
  double confidence = 0.95;
  int top_graphs = 5;
};

struct DgaGraphSummary {
  DecomposableGraph graph;
  std::string notation;
  double weight = 0;  // posterior probability of the graph
  double median = 0;
  double mode = 0;
  double bayes_estimate = 0;  // under relative squared error loss: E[1/N] / E[1/N^2]
};

struct DgaResult {
  double delta = 0;
  int64_t min_missing = 0;
  std::vector<double> posterior;  // P(N = n + min_missing + i), model-averaged
  double median = 0;
  double mean = 0;
  double mode = 0;
  double bayes_estimate = 0;
  double ci_low = 0;
  double ci_high = 0;
  // Posterior mass in the top 5% of the range of unseen counts: the range is too short
  // when this is not negligible.
  double mass_near_range_end = 0;
  int graphs = 0;
  std::vector<DgaGraphSummary> top;  // by weight, highest first
};

Result<DgaResult> RunDga(const CaptureTable& table, const DgaOptions& options);

// The reference formulation kept as a benchmark baseline: a dense graph × unseen-count
// matrix of log posteriors, normalised at the end (as the dga package does). Returns
// the model-averaged posterior median.
double DgaDenseMedian(const CaptureTable& table, const DgaOptions& options);

}  // namespace izde::estimate
