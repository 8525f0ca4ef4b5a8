#include "per_person_lcmcr.h"

#include <algorithm>
#include <cmath>

namespace izde::estimate {

PerPersonLcmcr::PerPersonLcmcr(const CaptureTable& table, int classes, uint64_t seed)
    : lists_(table.num_lists()), classes_(classes), rng_(seed, 0) {
  for (uint32_t c = 1; c < table.counts.size(); ++c) {
    people_.insert(people_.end(), static_cast<size_t>(table.counts[c]), c);
  }
  weight_.assign(classes_, 1.0 / classes_);
  capture_.resize(static_cast<size_t>(classes_) * lists_);
  for (double& l : capture_) l = rng_.Beta(1, 1);
  scratch_.resize(classes_);
  size_.resize(classes_);
  captures_.resize(capture_.size());
}

int PerPersonLcmcr::Draw(const std::vector<double>& weights) {
  double total = 0;
  for (double w : weights) total += w;
  double u = rng_.Uniform() * total;
  for (int k = 0; k < classes_ - 1; ++k) {
    if (u < weights[k]) return k;
    u -= weights[k];
  }
  return classes_ - 1;
}

void PerPersonLcmcr::Sweep() {
  std::fill(size_.begin(), size_.end(), 0);
  std::fill(captures_.begin(), captures_.end(), 0);
  for (uint32_t pattern : people_) {
    for (int k = 0; k < classes_; ++k) {
      double w = weight_[k];
      for (int j = 0; j < lists_; ++j) {
        const double l = capture_[static_cast<size_t>(k) * lists_ + j];
        w *= (pattern >> j & 1) ? l : 1 - l;
      }
      scratch_[k] = w;
    }
    const int k = Draw(scratch_);
    ++size_[k];
    for (int j = 0; j < lists_; ++j) {
      if (pattern >> j & 1) ++captures_[static_cast<size_t>(k) * lists_ + j];
    }
  }
  double missed = 0;
  for (int k = 0; k < classes_; ++k) {
    double w = weight_[k];
    for (int j = 0; j < lists_; ++j) w *= 1 - capture_[static_cast<size_t>(k) * lists_ + j];
    scratch_[k] = w;
    missed += w;
  }
  unseen_ = rng_.NegativeBinomial(static_cast<double>(people_.size()), 1 - missed);
  for (int64_t i = 0; i < unseen_; ++i) ++size_[Draw(scratch_)];
  for (int k = 0; k < classes_; ++k) {
    for (int j = 0; j < lists_; ++j) {
      const size_t i = static_cast<size_t>(k) * lists_ + j;
      capture_[i] = rng_.Beta(1 + static_cast<double>(captures_[i]),
                              1 + static_cast<double>(size_[k] - captures_[i]));
    }
  }
  int64_t after = 0;
  for (int64_t s : size_) after += s;
  double remaining = 1, log_rest = 0;
  for (int k = 0; k < classes_ - 1; ++k) {
    after -= size_[k];
    double v = std::min(1 - 1e-12, rng_.Beta(1 + static_cast<double>(size_[k]),
                                             alpha_ + static_cast<double>(after)));
    weight_[k] = remaining * v;
    remaining *= 1 - v;
    log_rest += std::log1p(-v);
  }
  weight_[classes_ - 1] = remaining;
  alpha_ = std::max(1e-6, rng_.Gamma(0.25 + classes_ - 1) / (0.25 - log_rest));
}

}  // namespace izde::estimate
