#include "link/cluster.h"

#include <algorithm>
#include <cmath>
#include <span>
#include <unordered_map>

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
    Union(ra, rb);
    ++merges;
  }
  return merges;
}

void Clusters::Union(uint32_t ra, uint32_t rb) {
  // Union by size; the larger cluster's root survives.
  if (MemberCount(ra) < MemberCount(rb)) std::swap(ra, rb);
  parent_[rb] = ra;
  auto& into = members_[ra];
  if (into.empty()) into.push_back(ra);
  if (members_[rb].empty())
    into.push_back(rb);
  else
    into.insert(into.end(), members_[rb].begin(), members_[rb].end());
  std::vector<uint32_t>().swap(members_[rb]);
}

size_t Clusters::AttachByUniqueName(
    const std::vector<std::pair<uint32_t, uint32_t>>& agreeing,
    const std::function<bool(uint32_t)>& eligible,
    const std::function<bool(uint32_t, std::span<const uint32_t>)>& accept) {
  // Each record's name-agreeing neighbours, both directions, grouped by record
  // (counted, then placed: a sort of millions of pairs took longer). Order and
  // repeats within a group do not matter below.
  const size_t n = parent_.size();
  std::vector<uint32_t> start(n + 1, 0);
  for (auto [a, b] : agreeing)
    if (a != b) {
      ++start[a + 1];
      ++start[b + 1];
    }
  for (size_t r = 0; r < n; ++r) start[r + 1] += start[r];
  std::vector<uint32_t> neighbours(start[n]);
  {
    std::vector<uint32_t> at(start.begin(), start.end() - 1);
    for (auto [a, b] : agreeing)
      if (a != b) {
        neighbours[at[a]++] = b;
        neighbours[at[b]++] = a;
      }
  }
  size_t joined = 0;
  for (uint32_t r = 0; r < n; ++r) {
    const size_t first = start[r], end = start[r + 1];
    if (first == end) continue;
    if (Find(r) != r || !members_[r].empty() || !eligible(r)) continue;
    uint32_t holder = UINT32_MAX;
    bool unique = true;
    for (size_t k = first; k < end && unique; ++k) {
      const uint32_t root = Find(neighbours[k]);
      if (holder == UINT32_MAX) holder = root;
      unique = root == holder;
    }
    if (!unique || holder == UINT32_MAX || holder == r) continue;
    uint32_t one = holder;
    const std::span<const uint32_t> members = members_[holder].empty()
                                                  ? std::span<const uint32_t>(&one, 1)
                                                  : std::span<const uint32_t>(members_[holder]);
    if (!accept(r, members)) continue;
    Union(holder, r);
    ++joined;
  }
  return joined;
}

size_t Clusters::MergeMutualNameHolders(
    const std::vector<std::pair<uint32_t, uint32_t>>& agreeing,
    const std::function<bool(std::span<const uint32_t>, std::span<const uint32_t>)>& accept) {
  // Per cluster (by root), the other cluster holding its name: none yet (kNone), one,
  // or more (kMany). A flat array: a hash map of a million roots cost a second.
  constexpr uint32_t kNone = UINT32_MAX - 1, kMany = UINT32_MAX;
  std::vector<uint32_t> other(parent_.size(), kNone);
  std::vector<uint32_t> noted;  // the roots with an entry
  auto note = [&](uint32_t x, uint32_t y) {
    uint32_t& o = other[x];
    if (o == kNone) {
      o = y;
      noted.push_back(x);
    } else if (o != y) {
      o = kMany;
    }
  };
  for (auto [a, b] : agreeing) {
    const uint32_t ra = Find(a), rb = Find(b);
    if (ra == rb) continue;
    note(ra, rb);
    note(rb, ra);
  }
  std::vector<std::pair<uint32_t, uint32_t>> mutual;
  for (uint32_t x : noted) {
    const uint32_t y = other[x];
    if (y != kMany && x < y && other[y] == x) mutual.emplace_back(x, y);
  }
  std::sort(mutual.begin(), mutual.end());  // deterministic
  size_t merged = 0;
  for (auto [x, y] : mutual) {
    uint32_t one_x = x, one_y = y;
    const std::span<const uint32_t> mx = members_[x].empty()
                                             ? std::span<const uint32_t>(&one_x, 1)
                                             : std::span<const uint32_t>(members_[x]);
    const std::span<const uint32_t> my = members_[y].empty()
                                             ? std::span<const uint32_t>(&one_y, 1)
                                             : std::span<const uint32_t>(members_[y]);
    if (!accept(mx, my)) continue;
    Union(x, y);
    ++merged;
  }
  return merged;
}

}  // namespace izde::link
