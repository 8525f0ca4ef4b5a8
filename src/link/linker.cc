#include "link/linker.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <thread>
#include <unordered_map>

namespace izde::link {
namespace {

double Since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

double Log2Odds(double p) { return std::log2(p / (1 - p)); }

// Candidate pairs of records [first, q.size()) of q against the index; `same`
// when q is the indexed set (then each pair once, a < b). Levels only: scoring
// needs the model, which EM estimates from these same levels.
std::vector<ScoredPair> Candidates(const BlockIndex& index, const Prepared& q, size_t first,
                                   const Prepared& indexed, bool same, int threads) {
  threads = std::max(1, threads);
  std::vector<std::vector<ScoredPair>> parts(static_cast<size_t>(threads));
  std::vector<std::thread> pool;
  const size_t n = q.size() - first;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      std::vector<uint64_t> keys;
      std::vector<uint32_t> cands;
      auto& out = parts[static_cast<size_t>(t)];
      for (size_t i = static_cast<size_t>(t); i < n; i += static_cast<size_t>(threads)) {
        const size_t a = first + i;
        index.Keys(q, a, keys);
        index.Candidates(keys, cands);
        for (uint32_t b : cands) {
          if (same && b <= a && b >= first) continue;  // new×new pairs once
          if (same && b == a) continue;
          ScoredPair sp;
          sp.a = static_cast<uint32_t>(a);
          sp.b = b;
          sp.levels = CompareRecords(q, a, indexed, b);
          out.push_back(sp);
        }
      }
    });
  for (auto& th : pool) th.join();
  std::vector<ScoredPair> all;
  size_t total = 0;
  for (auto& p : parts) total += p.size();
  all.reserve(total);
  for (auto& p : parts) {
    all.insert(all.end(), p.begin(), p.end());
    std::vector<ScoredPair>().swap(p);
  }
  return all;
}

void Estimate(Model& model, const Schema& schema, const std::vector<ScoredPair>& pairs,
              const Prepared& a, const Prepared* b, const LinkOptions& o) {
  if (o.fixed_model) {
    model = *o.fixed_model;
    return;
  }
  model = InitialModel(schema);
  EstimateU(model, a, b, o.u_samples, o.seed, o.threads);
  std::vector<Levels> levels;
  levels.reserve(pairs.size());
  for (const auto& p : pairs) levels.push_back(p.levels);
  const double n = static_cast<double>(a.size());
  const double all_pairs = b ? n * static_cast<double>(b->size()) : n * (n - 1) / 2;
  EstimateBySessions(model, schema, levels, o.fix_u, all_pairs);
}

// Scores pairs and drops those under the floor.
void ScoreAndFilter(std::vector<ScoredPair>& pairs, const Model& model, const Prepared& a,
                    const Prepared& b, double floor) {
  const size_t nf = a.schema.fields.size();
  const double min = Log2Odds(floor);
  size_t kept = 0;
  for (auto& p : pairs) {
    p.score = static_cast<float>(
        model.Score(a.schema, p.levels, &a.values[p.a * nf], &b.values[p.b * nf]));
    if (p.score >= min) pairs[kept++] = p;
  }
  pairs.resize(kept);
}

}  // namespace

Linker::Linker(const LinkOptions& options, const Schema& schema)
    : options_(options),
      index_(std::make_unique<BlockIndex>(DefaultRules(schema), options.max_block_size)) {}

double Linker::PairScore(uint32_t a, uint32_t b) const {
  if (constraints_.Forbidden(prepared_, a, b)) return -INFINITY;
  const size_t nf = prepared_.schema.fields.size();
  Levels l = CompareRecords(prepared_, a, b);
  return model_.Score(prepared_.schema, l, &prepared_.values[a * nf], &prepared_.values[b * nf]);
}

std::vector<ScoredPair> Linker::ScoreAgainstIndex(size_t first, bool estimate) {
  auto t = std::chrono::steady_clock::now();
  std::vector<ScoredPair> pairs =
      Candidates(*index_, prepared_, first, prepared_, true, options_.threads);
  stats_.comparisons += pairs.size();
  stats_.oversized_blocks_skipped = index_->oversized_blocks_skipped();
  stats_.seconds_score += Since(t);
  if (estimate) {
    t = std::chrono::steady_clock::now();
    Estimate(model_, prepared_.schema, pairs, prepared_, nullptr, options_);
    stats_.seconds_estimate += Since(t);
  }
  t = std::chrono::steady_clock::now();
  ScoreAndFilter(pairs, model_, prepared_, prepared_, options_.pair_floor);
  for (auto& p : pairs)
    if (p.a > p.b) std::swap(p.a, p.b);
  stats_.seconds_score += Since(t);
  return pairs;
}

void Linker::Cluster(const std::vector<ScoredPair>& pairs) {
  auto t = std::chrono::steady_clock::now();
  const size_t before = clusters_.size();
  clusters_.Grow(prepared_.size());
  for (size_t r = before; r < prepared_.size(); ++r) root_name_.push_back(prepared_.ids[r]);
  const float min = static_cast<float>(Log2Odds(options_.match_probability));
  std::vector<Edge> edges;
  for (const auto& p : pairs)
    if (p.score >= min && !constraints_.Forbidden(prepared_, p.a, p.b))
      edges.push_back({p.a, p.b, p.score});
  // Names of the clusters before merging, so that a merged cluster keeps the name
  // of a cluster that existed before this run (then the larger one; ties: the
  // smaller name) whatever root union-find picks.
  std::unordered_map<uint32_t, std::string> names;
  for (const Edge& e : edges)
    for (uint32_t r : {e.a, e.b}) {
      uint32_t root = clusters_.Find(r);
      names.emplace(root, root_name_[root]);
    }
  struct Rank {
    bool existed;
    size_t size;
    std::string name;
    bool Beats(const Rank& o) const {
      if (existed != o.existed) return existed;
      if (size != o.size) return size > o.size;
      return name < o.name;
    }
  };
  std::unordered_map<uint32_t, Rank> ranks;
  for (const auto& [root, name] : names)
    ranks[root] = {root < before, clusters_.Members(root).size(), name};
  clusters_.Apply(
      std::move(edges), [this](uint32_t a, uint32_t b) { return PairScore(a, b); },
      options_.cluster);
  std::unordered_map<uint32_t, Rank> best;
  for (const auto& [old_root, rank] : ranks) {
    uint32_t root = clusters_.Find(old_root);
    auto it = best.find(root);
    if (it == best.end() || rank.Beats(it->second)) best[root] = rank;
  }
  for (auto& [root, rank] : best) root_name_[root] = rank.name;
  stats_.seconds_cluster += Since(t);
}

Linker Linker::Build(const RawRecords& raw, const LinkOptions& options) {
  Linker l(options, raw.schema);
  auto t = std::chrono::steady_clock::now();
  l.prepared_ = Prepare(raw, options.threads);
  l.index_->Add(l.prepared_, 0, options.threads);
  l.stats_.seconds_prepare = Since(t);
  l.pairs_ = l.ScoreAgainstIndex(0, true);
  // A batch names each cluster after its smallest id: the same input gives the
  // same names whatever order the rows come in. Singletons: their own id.
  l.Cluster(l.pairs_);
  for (uint32_t r = 0; r < l.prepared_.size(); ++r) {
    uint32_t root = l.clusters_.Find(r);
    if (l.prepared_.ids[r] < l.root_name_[root]) l.root_name_[root] = l.prepared_.ids[r];
  }
  return l;
}

std::vector<uint32_t> Linker::Add(const RawRecords& raw) {
  auto t = std::chrono::steady_clock::now();
  const size_t first = prepared_.size();
  Append(prepared_, raw, options_.threads);
  index_->Add(prepared_, first, options_.threads);
  stats_.seconds_prepare += Since(t);
  std::vector<ScoredPair> pairs = ScoreAgainstIndex(first, false);
  Cluster(pairs);
  pairs_.insert(pairs_.end(), pairs.begin(), pairs.end());
  std::vector<uint32_t> added;
  for (size_t r = first; r < prepared_.size(); ++r) added.push_back(static_cast<uint32_t>(r));
  return added;
}

const std::string& Linker::ClusterId(uint32_t r) { return root_name_[clusters_.Find(r)]; }

ListLink LinkLists(const RawRecords& a, const RawRecords& b, const LinkOptions& options) {
  ListLink out;
  auto t = std::chrono::steady_clock::now();
  out.a = Prepare(a, options.threads);
  out.b = Prepare(b, options.threads);
  BlockIndex index(DefaultRules(b.schema), options.max_block_size);
  index.Add(out.b, 0, options.threads);
  out.stats.seconds_prepare = Since(t);
  t = std::chrono::steady_clock::now();
  out.pairs = Candidates(index, out.a, 0, out.b, false, options.threads);
  out.stats.comparisons = out.pairs.size();
  out.stats.oversized_blocks_skipped = index.oversized_blocks_skipped();
  out.stats.seconds_score = Since(t);
  t = std::chrono::steady_clock::now();
  Estimate(out.model, a.schema, out.pairs, out.a, &out.b, options);
  out.stats.seconds_estimate = Since(t);
  ScoreAndFilter(out.pairs, out.model, out.a, out.b, options.pair_floor);
  std::vector<ScoredPair> kept;
  for (const auto& p : out.pairs)
    if (!Constraints::ConflictingIds(out.a, p.a, out.b, p.b)) kept.push_back(p);
  out.pairs.swap(kept);
  return out;
}

std::vector<ScoredPair> MutualBest(const std::vector<ScoredPair>& pairs) {
  std::unordered_map<uint32_t, size_t> best_a, best_b;
  for (size_t i = 0; i < pairs.size(); ++i) {
    auto [ia, fa] = best_a.emplace(pairs[i].a, i);
    if (!fa && pairs[i].score > pairs[ia->second].score) ia->second = i;
    auto [ib, fb] = best_b.emplace(pairs[i].b, i);
    if (!fb && pairs[i].score > pairs[ib->second].score) ib->second = i;
  }
  std::vector<ScoredPair> out;
  for (size_t i = 0; i < pairs.size(); ++i)
    if (best_a[pairs[i].a] == i && best_b[pairs[i].b] == i) out.push_back(pairs[i]);
  return out;
}

}  // namespace izde::link
