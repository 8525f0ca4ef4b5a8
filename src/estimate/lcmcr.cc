#include "estimate/lcmcr.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <thread>

#include "estimate/convergence.h"

namespace izde::estimate {
namespace {

constexpr int kMaxDefaultClasses = 15;
constexpr double kMinCapture = 1e-12;

// Draws counts for each class from Multinomial(n, weights / total) by successive
// binomials, visiting classes in `order`. Heaviest classes first means the people run out
// after a few large draws and the light classes then cost nothing.
void Multinomial(Random& rng, int64_t n, const double* weights, const std::vector<int>& order,
                 double total, int64_t* out) {
  const int k = static_cast<int>(order.size());
  for (int i = 0; i < k && n > 0; ++i) {
    const int c = order[i];
    if (i == k - 1 || total <= 0) {
      out[c] += n;
      return;
    }
    const double p = std::min(1.0, weights[c] / total);
    const int64_t m = rng.Binomial(n, p);
    out[c] += m;
    n -= m;
    total -= weights[c];
  }
}

double Quantile(std::vector<double> sorted, double q) {
  std::sort(sorted.begin(), sorted.end());
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const size_t i = static_cast<size_t>(pos);
  if (i + 1 >= sorted.size()) return sorted.back();
  return sorted[i] + (pos - static_cast<double>(i)) * (sorted[i + 1] - sorted[i]);
}

}  // namespace

int DefaultClasses(int num_lists) {
  return static_cast<int>(std::min<int64_t>((int64_t{1} << num_lists) - 1, kMaxDefaultClasses));
}

LcmcrChain::LcmcrChain(const CaptureTable& table, int classes, double a_alpha, double b_alpha,
                       uint64_t seed, uint64_t stream)
    : lists_(table.num_lists()),
      classes_(classes),
      a_alpha_(a_alpha),
      b_alpha_(b_alpha),
      rng_(seed, stream) {
  for (uint32_t c = 1; c < table.counts.size(); ++c) {
    if (table.counts[c] > 0) {
      patterns_.push_back(c);
      counts_.push_back(table.counts[c]);
    }
  }
  observed_ = table.observed();
  weight_.assign(classes_, 1.0 / classes_);
  capture_.resize(static_cast<size_t>(classes_) * lists_);
  for (double& l : capture_) l = rng_.Beta(1, 1);
  class_size_.assign(classes_, 0);
  class_captures_.assign(capture_.size(), 0);
  stick_.assign(classes_, 0);
  scratch_.assign(classes_, 0);
  missed_.assign(classes_, 0);
  odds_.assign(capture_.size(), 0);
  for (int k = 0; k < classes_; ++k) order_.push_back(k);
}

void LcmcrChain::Sweep() {
  SampleClasses();
  SampleUnseen();
  SampleCaptureProbabilities();
  SampleWeights();
}

// Allocates the observed people of each pattern to classes.
void LcmcrChain::SampleClasses() {
  // Class weights order the multinomial draws; the order changes slowly between sweeps, so
  // an insertion sort from the last order is nearly free.
  for (int i = 1; i < classes_; ++i) {
    const int c = order_[i];
    int j = i;
    for (; j > 0 && weight_[order_[j - 1]] < weight_[c]; --j) order_[j] = order_[j - 1];
    order_[j] = c;
  }
  // A pattern's weight in class k is missed_k (caught by no list) times the odds
  // lambda / (1 − lambda) of each list the pattern is on: one multiplication per list on.
  for (int k = 0; k < classes_; ++k) {
    double w = weight_[k];
    for (int j = 0; j < lists_; ++j) {
      const double lambda = capture_[static_cast<size_t>(k) * lists_ + j];
      w *= 1 - lambda;
      odds_[static_cast<size_t>(j) * classes_ + k] = lambda / (1 - lambda);
    }
    missed_[k] = w;
  }
  std::fill(class_size_.begin(), class_size_.end(), 0);
  std::fill(class_captures_.begin(), class_captures_.end(), 0);
  std::vector<int64_t> members(classes_);
  for (size_t p = 0; p < patterns_.size(); ++p) {
    const uint32_t pattern = patterns_[p];
    std::copy(missed_.begin(), missed_.end(), scratch_.begin());
    for (uint32_t rest = pattern; rest; rest &= rest - 1) {
      const double* odds = &odds_[static_cast<size_t>(std::countr_zero(rest)) * classes_];
      for (int k = 0; k < classes_; ++k) scratch_[k] *= odds[k];
    }
    double total = 0;
    for (int k = 0; k < classes_; ++k) total += scratch_[k];
    std::fill(members.begin(), members.end(), 0);
    Multinomial(rng_, counts_[p], scratch_.data(), order_, total, members.data());
    for (int k = 0; k < classes_; ++k) {
      if (members[k] == 0) continue;
      class_size_[k] += members[k];
      int64_t* captures = &class_captures_[static_cast<size_t>(k) * lists_];
      for (int j = 0; j < lists_; ++j) {
        if (pattern >> j & 1) captures[j] += members[k];
      }
    }
  }
}

// Draws how many people no list caught, then their classes (they add to class sizes but
// to no list's captures).
void LcmcrChain::SampleUnseen() {
  double missed = 0;
  for (double w : missed_) missed += w;
  // With p(N) ∝ 1/N the unseen count is negative binomial: size n, success 1 − p0.
  unseen_ = rng_.NegativeBinomial(static_cast<double>(observed_), 1 - missed);
  Multinomial(rng_, unseen_, missed_.data(), order_, missed, class_size_.data());
}

void LcmcrChain::SampleCaptureProbabilities() {
  for (int k = 0; k < classes_; ++k) {
    for (int j = 0; j < lists_; ++j) {
      const size_t i = static_cast<size_t>(k) * lists_ + j;
      const double on = static_cast<double>(class_captures_[i]);
      const double off = static_cast<double>(class_size_[k] - class_captures_[i]);
      // Kept off 0 and 1 so that the odds lambda / (1 − lambda) stay finite.
      capture_[i] = std::clamp(rng_.Beta(1 + on, 1 + off), kMinCapture, 1 - kMinCapture);
    }
  }
}

// Stick-breaking weights given class sizes, then the concentration alpha.
void LcmcrChain::SampleWeights() {
  int64_t after = 0;
  for (int k = 0; k < classes_; ++k) after += class_size_[k];
  double remaining = 1, log_rest = 0;
  for (int k = 0; k < classes_ - 1; ++k) {
    after -= class_size_[k];
    double v =
        rng_.Beta(1 + static_cast<double>(class_size_[k]), alpha_ + static_cast<double>(after));
    v = std::min(v, 1 - 1e-12);
    weight_[k] = remaining * v;
    remaining *= 1 - v;
    log_rest += std::log1p(-v);
  }
  weight_[classes_ - 1] = remaining;
  alpha_ = rng_.Gamma(a_alpha_ + classes_ - 1) / (b_alpha_ - log_rest);
  alpha_ = std::max(alpha_, 1e-6);
}

Result<LcmcrResult> RunLcmcr(const CaptureTable& table, const LcmcrOptions& options) {
  const int k = options.classes > 0 ? options.classes : DefaultClasses(table.num_lists());
  if (k < 1 || k > 1000) return Status::InvalidInput("the number of classes K must be 1..1000");
  if (options.chains < 1) return Status::InvalidInput("at least one chain is needed");
  if (options.samples < 10) return Status::InvalidInput("keep at least 10 samples per chain");
  if (options.thinning < 1 || options.burn_in < 0) {
    return Status::InvalidInput("thinning must be 1 or more and burn-in 0 or more");
  }
  if (!(options.a_alpha > 0 && options.b_alpha > 0)) {
    return Status::InvalidInput("the alpha prior parameters must be positive");
  }
  LcmcrResult result;
  result.classes = k;
  result.draws.assign(options.chains, {});
  auto run_chain = [&](int c) {
    LcmcrChain chain(table, k, options.a_alpha, options.b_alpha, options.seed,
                     static_cast<uint64_t>(c));
    for (int i = 0; i < options.burn_in; ++i) chain.Sweep();
    std::vector<double>& draws = result.draws[c];
    draws.reserve(options.samples);
    for (int s = 0; s < options.samples; ++s) {
      for (int t = 0; t < options.thinning; ++t) chain.Sweep();
      draws.push_back(static_cast<double>(chain.population()));
    }
  };
  int threads =
      options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  threads = std::clamp(threads, 1, options.chains);
  // Chains are independent streams, so the result does not depend on the thread count.
  for (int first = 0; first < options.chains; first += threads) {
    std::vector<std::thread> pool;
    for (int c = first; c < std::min(options.chains, first + threads); ++c) {
      pool.emplace_back(run_chain, c);
    }
    for (std::thread& t : pool) t.join();
  }
  std::vector<double> all;
  for (const auto& d : result.draws) all.insert(all.end(), d.begin(), d.end());
  double sum = 0;
  for (double x : all) sum += x;
  result.mean = sum / static_cast<double>(all.size());
  const double tail = (1 - options.confidence) / 2;
  result.median = Quantile(all, 0.5);
  result.ci_low = Quantile(all, tail);
  result.ci_high = Quantile(all, 1 - tail);
  result.rhat = SplitRhat(result.draws);
  result.effective_samples = EffectiveSampleSize(result.draws);
  return result;
}

}  // namespace izde::estimate
