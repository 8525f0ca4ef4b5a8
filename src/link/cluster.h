// Clustering scored pairs into people without chaining. Single linkage (take
// every pair above the threshold, then connected components) merges A and C
// when A≈B and B≈C although A and C are plainly two people — two namesakes
// bridged by a record with a missing birth date. Here edges are taken best
// first, and two clusters merge only when the two compared as one person
// (GroupScorer; or, with a PairScorer, the mean over every member pair) reach
// one half, no member pair is strong evidence against, and no pair is forbidden
// by a hard constraint. docs/linkage.md#clustering explains the choice.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace izde::link {

struct Edge {
  uint32_t a = 0, b = 0;
  float score = 0;  // log2 odds
};

struct ClusterOptions {
  // Two clusters compared as one merge at or above this (LinkOptions::match_probability).
  double min_mean_probability = 0.35;
  // A member pair below this probability vetoes a merge: the two records are
  // positively different people (names and birth dates both disagree).
  double veto_probability = 1e-4;
  // Merges needing more member pairs than this are refused: a cluster that
  // large is almost always a chain of namesakes, and a reviewer should decide.
  size_t max_member_pairs = 4096;
};

// Scores a member pair: log2 odds, or -infinity when a hard constraint forbids it.
using PairScorer = std::function<double(uint32_t, uint32_t)>;

// Two groups of records compared as one: what their members say together
// (ScoreGroups in model.h), and their weakest member pair.
struct GroupScore {
  double log2_odds = 0;
  double weakest_pair = 0;  // log2 odds; -infinity when a hard constraint forbids a pair
};
using GroupScorer = std::function<GroupScore(std::span<const uint32_t>, std::span<const uint32_t>)>;

class Clusters {
 public:
  explicit Clusters(size_t n = 0) { Grow(n); }
  void Grow(size_t n);  // adds singletons up to n records
  size_t size() const { return parent_.size(); }

  // Applies edges best first. Returns the number of merges made.
  size_t Apply(std::vector<Edge> edges, const PairScorer& score, const ClusterOptions& options);
  // The same, deciding each merge on the two clusters compared as one (`group`):
  // the merge is made when that is at least options.min_mean_probability and no
  // member pair is vetoed or forbidden.
  size_t Apply(std::vector<Edge> edges, const GroupScorer& group, const ClusterOptions& options);

  // Name-only records. A record alone in its cluster that carries no birth date
  // and no ID number (`eligible`), and whose name agrees (`agreeing`: pairs of
  // records whose names are the same name) with records of exactly one cluster
  // and no other record, joins that cluster when `accept` (the record, the
  // cluster's members) says nothing else speaks against it. Pairwise, such a
  // record scores low against each record of its person: the term frequency of
  // its name counts the person's own records as if they were namesakes. But when
  // one cluster alone holds the name, the alternative is a namesake who appears
  // in no other record, and most people in these lists appear more than once.
  // Returns the number of records joined.
  size_t AttachByUniqueName(const std::vector<std::pair<uint32_t, uint32_t>>& agreeing,
                            const std::function<bool(uint32_t)>& eligible,
                            const std::function<bool(uint32_t, std::span<const uint32_t>)>& accept);

  // The same for two clusters: when each is the only other cluster that holds
  // the other's name (among `agreeing`), they are one person split for want of a
  // shared detail, unless `accept` (both member lists) finds something against it.
  size_t MergeMutualNameHolders(
      const std::vector<std::pair<uint32_t, uint32_t>>& agreeing,
      const std::function<bool(std::span<const uint32_t>, std::span<const uint32_t>)>& accept);

  uint32_t Find(uint32_t r) const;
  // Sets every record's cluster: root_of[r] is the root of r's cluster, and a
  // root is its own root (link state files). False when that does not hold.
  bool Restore(const std::vector<uint32_t>& root_of);
  size_t MemberCount(uint32_t root) const {
    return members_[root].empty() ? 1 : members_[root].size();
  }
  size_t refused_merges() const { return refused_; }

 private:
  mutable std::vector<uint32_t> parent_;
  // Filled at roots of clusters of two or more; a singleton's is empty (a million
  // one-element vectors would cost a million allocations).
  std::vector<std::vector<uint32_t>> members_;
  size_t refused_ = 0;
  size_t Apply(std::vector<Edge> edges, const GroupScorer* group, const PairScorer* pair,
               const ClusterOptions& options);
  void Union(uint32_t ra, uint32_t rb);  // two roots
};

}  // namespace izde::link
