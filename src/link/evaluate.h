// Pairwise precision, recall and F1 against known entities, and blocking recall.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace izde::link {

struct PairwiseScore {
  uint64_t true_pairs = 0, predicted_pairs = 0, correct_pairs = 0;
  double precision() const { return predicted_pairs ? double(correct_pairs) / predicted_pairs : 1; }
  double recall() const { return true_pairs ? double(correct_pairs) / true_pairs : 1; }
  double f1() const {
    const double p = precision(), r = recall();
    return p + r > 0 ? 2 * p * r / (p + r) : 0;
  }
};

// Every pair of records in one predicted cluster against every pair in one entity.
PairwiseScore ScoreClusters(const std::vector<std::string>& cluster,
                            const std::vector<std::string>& entity);

// Predicted links (a, b) against entities of two lists.
PairwiseScore ScoreLinks(const std::vector<std::pair<uint32_t, uint32_t>>& links,
                         const std::vector<std::string>& entity_a,
                         const std::vector<std::string>& entity_b);

}  // namespace izde::link
