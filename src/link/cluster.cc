#include "link/cluster.h"

#include <algorithm>
#include <cmath>
#include <span>

namespace izde::link {

void Clusters::Grow(size_t n) {
  for (size_t r = parent_.size(); r < n; ++r) {
    parent_.push_back(static_cast<uint32_t>(r));
    members_.emplace_back();
  }
}

uint32_t Clusters::Find(uint32_t r) const {
  while (parent_[r] != r) {
    parent_[r] = parent_[parent_[r]];
    r = parent_[r];
  }
  return r;
}

bool Clusters::Restore(const std::vector<uint32_t>& root_of) {
  const size_t n = root_of.size();
  for (size_t r = 0; r < n; ++r)
    if (root_of[r] >= n || root_of[root_of[r]] != root_of[r]) return false;
  parent_ = root_of;
  members_.clear();
  members_.resize(n);
  for (size_t r = 0; r < n; ++r)
    if (root_of[r] != r) {
      auto& m = members_[root_of[r]];
      if (m.empty()) m.push_back(root_of[r]);
      m.push_back(static_cast<uint32_t>(r));
    }
  return true;
}

size_t Clusters::Apply(std::vector<Edge> edges, const PairScorer& score,
                       const ClusterOptions& options) {
  return Apply(std::move(edges), nullptr, &score, options);
}

size_t Clusters::Apply(std::vector<Edge> edges, const GroupScorer& group,
                       const ClusterOptions& options) {
  return Apply(std::move(edges), &group, nullptr, options);
}

size_t Clusters::Apply(std::vector<Edge> edges, const GroupScorer* group, const PairScorer* pair,
                       const ClusterOptions& options) {
  std::sort(edges.begin(), edges.end(), [](const Edge& x, const Edge& y) {
    if (x.score != y.score) return x.score > y.score;
    return x.a != y.a ? x.a < y.a : x.b < y.b;  // deterministic order on ties
  });
  const double veto = std::log2(options.veto_probability / (1 - options.veto_probability));
  size_t merges = 0;
  for (const Edge& e : edges) {
    uint32_t ra = Find(e.a), rb = Find(e.b);
    if (ra == rb) continue;
    // A singleton's member list is left empty: stand it in with the record itself.
    uint32_t one_a = ra, one_b = rb;
    const std::span<const uint32_t> ma = members_[ra].empty()
                                             ? std::span<const uint32_t>(&one_a, 1)
                                             : std::span<const uint32_t>(members_[ra]);
    const std::span<const uint32_t> mb = members_[rb].empty()
                                             ? std::span<const uint32_t>(&one_b, 1)
                                             : std::span<const uint32_t>(members_[rb]);
    bool ok = true;
    if (ma.size() * mb.size() > options.max_member_pairs) {
      ok = false;
    } else if (group) {
      const GroupScore g = (*group)(ma, mb);
      ok = g.weakest_pair >= veto &&
           1 / (1 + std::exp2(-g.log2_odds)) >= options.min_mean_probability;
    } else {
      const PairScorer& score = *pair;
      double sum = 0;
      for (uint32_t x : ma) {
        for (uint32_t y : mb) {
          const double s = (x == e.a && y == e.b) || (x == e.b && y == e.a) ? e.score : score(x, y);
          if (s < veto) {
            ok = false;
            break;
          }
          sum += 1 / (1 + std::exp2(-s));
        }
        if (!ok) break;
      }
      ok = ok && sum > options.min_mean_probability * static_cast<double>(ma.size() * mb.size());
    }
    if (!ok) {
      ++refused_;
      continue;
    }
    // Union by size; the larger cluster's root survives.
    if (ma.size() < mb.size()) std::swap(ra, rb);
    parent_[rb] = ra;
    auto& into = members_[ra];
    if (into.empty()) into.push_back(ra);
    if (members_[rb].empty())
      into.push_back(rb);
    else
      into.insert(into.end(), members_[rb].begin(), members_[rb].end());
    std::vector<uint32_t>().swap(members_[rb]);
    ++merges;
  }
  return merges;
}

}  // namespace izde::link
