#include "link/evaluate.h"

#include <map>
#include <unordered_map>

namespace izde::link {

PairwiseScore ScoreClusters(const std::vector<std::string>& cluster,
                            const std::vector<std::string>& entity) {
  PairwiseScore s;
  std::unordered_map<std::string, uint64_t> per_cluster, per_entity;
  std::map<std::pair<std::string, std::string>, uint64_t> both;
  for (size_t i = 0; i < cluster.size(); ++i) {
    ++per_cluster[cluster[i]];
    ++per_entity[entity[i]];
    ++both[{cluster[i], entity[i]}];
  }
  auto pairs = [](uint64_t n) { return n * (n - 1) / 2; };
  for (auto& [k, n] : per_cluster) s.predicted_pairs += pairs(n);
  for (auto& [k, n] : per_entity) s.true_pairs += pairs(n);
  for (auto& [k, n] : both) s.correct_pairs += pairs(n);
  return s;
}

PairwiseScore ScoreLinks(const std::vector<std::pair<uint32_t, uint32_t>>& links,
                         const std::vector<std::string>& entity_a,
                         const std::vector<std::string>& entity_b) {
  PairwiseScore s;
  std::unordered_map<std::string, uint64_t> in_b;
  for (const auto& e : entity_b) ++in_b[e];
  for (const auto& e : entity_a)
    if (auto it = in_b.find(e); it != in_b.end()) s.true_pairs += it->second;
  s.predicted_pairs = links.size();
  for (auto [a, b] : links) s.correct_pairs += entity_a[a] == entity_b[b];
  return s;
}

}  // namespace izde::link
