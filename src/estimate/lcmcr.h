// Bayesian non-parametric latent-class capture–recapture (Manrique-Vallier 2016).
// People fall into up to K latent classes; within a class the lists capture
// independently, which lets heterogeneous capture probabilities induce dependence
// between lists. Class weights follow a truncated stick-breaking (Dirichlet process)
// prior with concentration alpha ~ Gamma(a_alpha, b_alpha); each list's capture
// probability in each class is Beta(1, 1); the population size has the prior p(N) ∝ 1/N.
// A Gibbs sampler with data augmentation of the unseen people draws N.
#pragma once

#include <cstdint>
#include <vector>

#include "base/status.h"
#include "estimate/capture_table.h"
#include "estimate/random.h"

namespace izde::estimate {

struct LcmcrOptions {
  int classes = 0;  // K; 0 picks min(2^lists − 1, 15)
  int chains = 4;   // run in parallel, one thread each (at most hardware threads at once)
  int burn_in = 10000;
  int samples = 1000;  // kept per chain
  int thinning = 20;   // the unseen count mixes slowly: keep draws apart
  uint64_t seed = 1;
  double a_alpha = 0.25;
  double b_alpha = 0.25;
  double confidence = 0.95;
  int threads = 0;  // 0: as many as the hardware offers
};

struct LcmcrResult {
  int classes = 0;
  double median = 0;
  double mean = 0;
  double ci_low = 0;
  double ci_high = 0;
  double rhat = 0;
  double effective_samples = 0;
  std::vector<std::vector<double>> draws;  // per chain, the kept draws of N
};

int DefaultClasses(int num_lists);

Result<LcmcrResult> RunLcmcr(const CaptureTable& table, const LcmcrOptions& options);

// One chain of the sampler, exposed for the benchmark (sweeps per second).
class LcmcrChain {
 public:
  LcmcrChain(const CaptureTable& table, int classes, double a_alpha, double b_alpha, uint64_t seed,
             uint64_t stream);
  void Sweep();
  int64_t population() const { return observed_ + unseen_; }

 private:
  void SampleClasses();
  void SampleUnseen();
  void SampleCaptureProbabilities();
  void SampleWeights();

  int lists_ = 0;
  int classes_ = 0;
  double a_alpha_ = 0, b_alpha_ = 0;
  std::vector<uint32_t> patterns_;  // observed patterns with someone in them
  std::vector<int64_t> counts_;
  int64_t observed_ = 0;
  int64_t unseen_ = 0;
  double alpha_ = 1;
  std::vector<double> weight_;   // pi_k
  std::vector<double> capture_;  // lambda[k * lists + j]
  std::vector<int64_t> class_size_;
  std::vector<int64_t> class_captures_;  // [k * lists + j]: members of k on list j
  std::vector<double> stick_;
  std::vector<double> scratch_;
  std::vector<double> missed_;  // per class: weight times chance of being on no list
  std::vector<double> odds_;    // [j * classes + k]: lambda / (1 − lambda)
  std::vector<int> order_;      // classes by decreasing weight
  Random rng_;
};

}  // namespace izde::estimate
