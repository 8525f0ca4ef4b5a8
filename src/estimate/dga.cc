#include "estimate/dga.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

namespace izde::estimate {
namespace {

// Terms more than this far below a graph's maximum log posterior contribute < 1e-17.
constexpr double kNegligibleLog = 40;
constexpr double kNearEndShare = 0.05;
// Points of the coarse grid that locates each graph's posterior.
constexpr size_t kCoarsePoints = 256;

// Per-subset pieces of the hyper-Dirichlet marginal likelihood of the completed table.
// For a set of lists S, the marginal table has 2^|S| cells with prior counts
// alpha_S = delta · 2^(k−|S|). Its log marginal likelihood is
//   lgamma(A) − lgamma(A + N) + Σ_cells [lgamma(alpha_S + y_s) − lgamma(alpha_S)],
// A = delta · 2^k. Only the cell "on none of S" depends on the unseen count n0, so it is
// split into a constant and a vector over n0 (which also carries −lgamma(A + N)).
class SubsetTerms {
 public:
  SubsetTerms(const CaptureTable& table, double delta, int64_t lo, int64_t hi) : lo_(lo) {
    const int k = table.num_lists();
    const uint32_t cells = 1u << k;
    const double n = static_cast<double>(table.observed());
    const double total_prior = delta * cells;
    const size_t range = static_cast<size_t>(hi - lo + 1);
    constant_.assign(cells, 0.0);
    varying_.assign(cells, {});
    std::vector<double> common(range);
    for (size_t i = 0; i < range; ++i) {
      common[i] = -std::lgamma(total_prior + n + static_cast<double>(lo + static_cast<int64_t>(i)));
    }
    for (uint32_t s = 1; s < cells; ++s) {
      const double alpha = delta * static_cast<double>(cells >> std::popcount(s));
      std::vector<double> margin(cells, 0.0);
      for (uint32_t c = 1; c < cells; ++c) margin[c & s] += static_cast<double>(table.counts[c]);
      double constant = std::lgamma(total_prior) -
                        static_cast<double>(1u << std::popcount(s)) * std::lgamma(alpha);
      for (uint32_t sub = s; sub; sub = (sub - 1) & s) {
        constant += std::lgamma(alpha + margin[sub]);
      }
      constant_[s] = constant;
      std::vector<double>& v = varying_[s];
      v.resize(range);
      for (size_t i = 0; i < range; ++i) {
        v[i] = std::lgamma(alpha + margin[0] + static_cast<double>(lo + static_cast<int64_t>(i))) +
               common[i];
      }
    }
  }

  // log marginal likelihood of `g` at every n0 in range, plus `base`, into out.
  void GraphLogPosterior(const DecomposableGraph& g, const std::vector<double>& base,
                         std::vector<double>& out) const {
    double constant = 0;
    for (uint32_t c : g.cliques) constant += constant_[c];
    for (uint32_t s : g.separators) constant -= constant_[s];
    const size_t range = base.size();
    for (size_t i = 0; i < range; ++i) out[i] = base[i] + constant;
    for (uint32_t c : g.cliques) {
      const double* v = varying_[c].data();
      for (size_t i = 0; i < range; ++i) out[i] += v[i];
    }
    for (uint32_t s : g.separators) {
      if (s == 0) continue;  // the empty set's marginal likelihood is exactly 1
      const double* v = varying_[s].data();
      for (size_t i = 0; i < range; ++i) out[i] -= v[i];
    }
  }

  // The pieces of one graph's log posterior, evaluated point by point.
  struct GraphRow {
    double constant = 0;
    std::vector<const double*> plus, minus;
    double At(const std::vector<double>& base, size_t i) const {
      double v = base[i] + constant;
      for (const double* p : plus) v += p[i];
      for (const double* m : minus) v -= m[i];
      return v;
    }
  };

  GraphRow Row(const DecomposableGraph& g) const {
    GraphRow row;
    for (uint32_t c : g.cliques) {
      row.constant += constant_[c];
      row.plus.push_back(varying_[c].data());
    }
    for (uint32_t s : g.separators) {
      if (s == 0) continue;
      row.constant -= constant_[s];
      row.minus.push_back(varying_[s].data());
    }
    return row;
  }

 private:
  int64_t lo_;
  std::vector<double> constant_;
  std::vector<std::vector<double>> varying_;
};

// log p(N) + log [N! / n0!] (the multinomial coefficient's part that depends on n0).
std::vector<double> BaseTerms(const CaptureTable& table, const DgaOptions& o, int64_t lo,
                              int64_t hi) {
  const double n = static_cast<double>(table.observed());
  std::vector<double> base(static_cast<size_t>(hi - lo + 1));
  for (size_t i = 0; i < base.size(); ++i) {
    const double n0 = static_cast<double>(lo + static_cast<int64_t>(i));
    const double big_n = n + n0;
    double prior = -std::log(big_n);
    if (o.prior == PopulationPrior::kNegativeBinomial) {
      prior = big_n * std::log(o.prior_b) - (big_n + o.prior_a) * std::log1p(o.prior_b) +
              std::lgamma(big_n + o.prior_a) - std::lgamma(big_n + 1) - std::lgamma(o.prior_a);
    }
    base[i] = prior + std::lgamma(big_n + 1) - std::lgamma(n0 + 1);
  }
  return base;
}

struct Summary {
  double median = 0, mean = 0, mode = 0, bayes = 0, low = 0, high = 0;
};

// Summaries of a normalised posterior over N = first + i.
Summary Summarise(const std::vector<double>& p, double first, double confidence) {
  Summary s;
  const double tail = (1 - confidence) / 2;
  double cdf = 0, inv = 0, inv2 = 0, best = -1;
  bool low_set = false, median_set = false, high_set = false;
  for (size_t i = 0; i < p.size(); ++i) {
    const double n = first + static_cast<double>(i);
    cdf += p[i];
    s.mean += p[i] * n;
    inv += p[i] / n;
    inv2 += p[i] / (n * n);
    if (p[i] > best) {
      best = p[i];
      s.mode = n;
    }
    if (!low_set && cdf >= tail) {
      s.low = n;
      low_set = true;
    }
    if (!median_set && cdf >= 0.5) {
      s.median = n;
      median_set = true;
    }
    if (!high_set && cdf >= 1 - tail) {
      s.high = n;
      high_set = true;
    }
  }
  const double last = first + static_cast<double>(p.size() - 1);
  if (!high_set) s.high = last;
  if (!median_set) s.median = last;
  s.bayes = inv2 > 0 ? inv / inv2 : 0;
  return s;
}

struct Range {
  double delta;
  int64_t lo, hi;
};

Result<Range> CheckOptions(const CaptureTable& table, const DgaOptions& o) {
  const int k = table.num_lists();
  if (k > kDgaMaxLists) {
    return Status::InvalidInput("dga handles at most " + std::to_string(kDgaMaxLists) +
                                " lists; use loglinear or lcmcr for more");
  }
  Range r;
  r.delta = o.delta > 0 ? o.delta : std::ldexp(1.0, -k);
  r.lo = o.min_missing;
  r.hi = o.max_missing > 0 ? o.max_missing : std::max<int64_t>(10 * table.observed(), 1000);
  if (r.lo < 0 || r.hi < r.lo) {
    return Status::InvalidInput("the range of unseen people must satisfy 0 <= min <= max");
  }
  if (r.hi - r.lo > 50'000'000) return Status::InvalidInput("the range of unseen is too wide");
  if (o.prior == PopulationPrior::kNegativeBinomial && !(o.prior_a > 0 && o.prior_b > 0)) {
    return Status::InvalidInput("the negative-binomial prior needs a > 0 and b > 0");
  }
  if (!(o.confidence > 0 && o.confidence < 1)) {
    return Status::InvalidInput("the confidence level must lie between 0 and 1");
  }
  return r;
}

}  // namespace

Result<DgaResult> RunDga(const CaptureTable& table, const DgaOptions& options) {
  IZDE_ASSIGN_OR_RETURN(Range range, CheckOptions(table, options));
  const std::vector<DecomposableGraph> graphs = AllDecomposableGraphs(table.num_lists());
  const SubsetTerms terms(table, range.delta, range.lo, range.hi);
  const std::vector<double> base = BaseTerms(table, options, range.lo, range.hi);
  const size_t size = base.size();
  const double first = static_cast<double>(table.observed() + range.lo);

  // Pass 1, graph by graph: the stretch of unseen counts where the graph's posterior is
  // not negligible, and its total weight. Posteriors over N are unimodal in practice, so
  // the stretch is found by walking out from the best point of a coarse grid; should a
  // coarse point outside it still matter, the graph falls back to the full range.
  const size_t stride = std::max<size_t>(1, size / kCoarsePoints);
  std::vector<double> buffer(size), log_weight(graphs.size()), peak(graphs.size());
  std::vector<std::pair<size_t, size_t>> window(graphs.size());
  for (size_t g = 0; g < graphs.size(); ++g) {
    const SubsetTerms::GraphRow row = terms.Row(graphs[g]);
    size_t best = 0;
    double top = -std::numeric_limits<double>::infinity();
    for (size_t i = 0; i < size; i += stride) {
      const double v = row.At(base, i);
      if (v > top) {
        top = v;
        best = i;
      }
    }
    buffer[best] = top;
    size_t begin = best, end = best + 1;
    while (begin > 0) {
      const double v = row.At(base, begin - 1);
      if (v < top - kNegligibleLog) break;
      buffer[--begin] = v;
      top = std::max(top, v);
    }
    while (end < size) {
      const double v = row.At(base, end);
      if (v < top - kNegligibleLog) break;
      buffer[end++] = v;
      top = std::max(top, v);
    }
    bool outside_matters = false;
    for (size_t i = 0; i < size && !outside_matters; i += stride) {
      outside_matters = (i < begin || i >= end) && row.At(base, i) >= top - kNegligibleLog;
    }
    if (outside_matters) {
      begin = 0;
      end = size;
      terms.GraphLogPosterior(graphs[g], base, buffer);
      top = *std::max_element(buffer.begin(), buffer.end());
    }
    double mass = 0;
    for (size_t i = begin; i < end; ++i) mass += std::exp(buffer[i] - top);
    log_weight[g] = top + std::log(mass);
    peak[g] = top;
    window[g] = {begin, end};
  }
  // Pass 2: add up the graphs that carry weight, relative to the highest peak.
  const double top_weight = *std::max_element(log_weight.begin(), log_weight.end());
  const double scale = *std::max_element(peak.begin(), peak.end());
  std::vector<double> averaged(size, 0.0);
  for (size_t g = 0; g < graphs.size(); ++g) {
    if (log_weight[g] < top_weight - kNegligibleLog) continue;
    const SubsetTerms::GraphRow row = terms.Row(graphs[g]);
    for (size_t i = window[g].first; i < window[g].second; ++i) {
      const double v = row.At(base, i) - scale;
      if (v >= -2 * kNegligibleLog) averaged[i] += std::exp(v);
    }
  }
  DgaResult result;
  result.delta = range.delta;
  result.min_missing = range.lo;
  result.graphs = static_cast<int>(graphs.size());
  double total = 0;
  for (double a : averaged) total += a;
  for (double& a : averaged) a /= total;
  Summary s = Summarise(averaged, first, options.confidence);
  result.median = s.median;
  result.mean = s.mean;
  result.mode = s.mode;
  result.bayes_estimate = s.bayes;
  result.ci_low = s.low;
  result.ci_high = s.high;
  const size_t near_end = size - std::max<size_t>(1, static_cast<size_t>(kNearEndShare * size));
  for (size_t i = near_end; i < size; ++i) result.mass_near_range_end += averaged[i];
  result.posterior = std::move(averaged);

  double weight_total = 0;
  std::vector<double> weight(graphs.size());
  for (size_t g = 0; g < graphs.size(); ++g) {
    weight[g] = std::exp(log_weight[g] - top_weight);
    weight_total += weight[g];
  }
  std::vector<size_t> order(graphs.size());
  for (size_t g = 0; g < order.size(); ++g) order[g] = g;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return weight[a] > weight[b]; });
  const size_t top = std::min<size_t>(std::max(0, options.top_graphs), order.size());
  for (size_t t = 0; t < top; ++t) {
    const size_t g = order[t];
    terms.GraphLogPosterior(graphs[g], base, buffer);
    const double peak = *std::max_element(buffer.begin(), buffer.end());
    double mass = 0;
    for (double& b : buffer) mass += (b = std::exp(b - peak));
    for (double& b : buffer) b /= mass;
    Summary gs = Summarise(buffer, first, options.confidence);
    result.top.push_back(DgaGraphSummary{graphs[g], graphs[g].Notation(table.num_lists()),
                                         weight[g] / weight_total, gs.median, gs.mode, gs.bayes});
  }
  return result;
}

double DgaDenseMedian(const CaptureTable& table, const DgaOptions& options) {
  Result<Range> range = CheckOptions(table, options);
  if (!range.ok()) return 0;
  const std::vector<DecomposableGraph> graphs = AllDecomposableGraphs(table.num_lists());
  const SubsetTerms terms(table, range->delta, range->lo, range->hi);
  const std::vector<double> base = BaseTerms(table, options, range->lo, range->hi);
  const size_t size = base.size();
  std::vector<std::vector<double>> matrix(graphs.size(), std::vector<double>(size));
  double peak = -std::numeric_limits<double>::infinity();
  for (size_t g = 0; g < graphs.size(); ++g) {
    terms.GraphLogPosterior(graphs[g], base, matrix[g]);
    peak = std::max(peak, *std::max_element(matrix[g].begin(), matrix[g].end()));
  }
  std::vector<double> column(size, 0.0);
  double total = 0;
  for (const auto& row : matrix) {
    for (size_t i = 0; i < size; ++i) {
      const double w = std::exp(row[i] - peak);
      column[i] += w;
      total += w;
    }
  }
  double cdf = 0;
  for (size_t i = 0; i < size; ++i) {
    cdf += column[i] / total;
    if (cdf >= 0.5)
      return static_cast<double>(table.observed() + range->lo) + static_cast<double>(i);
  }
  return static_cast<double>(table.observed() + range->hi);
}

}  // namespace izde::estimate
