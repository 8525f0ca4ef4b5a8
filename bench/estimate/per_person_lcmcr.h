// The benchmark baseline for the latent-class sampler: the same model and Gibbs steps as
// estimate::LcmcrChain, written the straightforward way — every documented and every
// unseen person gets their own class draw each sweep — instead of drawing class counts
// per capture pattern.
#pragma once

#include <cstdint>
#include <vector>

#include "estimate/capture_table.h"
#include "estimate/random.h"

namespace izde::estimate {

class PerPersonLcmcr {
 public:
  PerPersonLcmcr(const CaptureTable& table, int classes, uint64_t seed);
  void Sweep();
  int64_t population() const { return static_cast<int64_t>(people_.size()) + unseen_; }

 private:
  int Draw(const std::vector<double>& weights);

  int lists_, classes_;
  std::vector<uint32_t> people_;  // each documented person's capture pattern
  int64_t unseen_ = 0;
  double alpha_ = 1;
  std::vector<double> weight_, capture_, scratch_;
  std::vector<int64_t> size_, captures_;
  Random rng_;
};

}  // namespace izde::estimate
