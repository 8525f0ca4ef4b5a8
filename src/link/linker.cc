#include "link/linker.h"

#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <thread>
#include <unordered_map>

namespace izde::link {

double ProcessCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

namespace {

double Since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

double Log2Odds(double p) { return std::log2(p / (1 - p)); }

// Visits the candidate pairs of records [first, q.size()) of q against the index,
// every `stride`-th record only (a uniform sample of pairs, for estimation); `same`
// when q is the indexed set (then each pair once). `visit(thread, pair)` fills the
// pair's levels (and score) and returns whether to keep it; kept pairs are returned.
template <typename Visit>
std::vector<ScoredPair> Candidates(const BlockIndex& index, const Prepared& q, size_t first,
                                   const Prepared& indexed, bool same, int threads, size_t stride,
                                   uint64_t& visited, Visit&& visit,
                                   const std::vector<uint32_t>* order = nullptr) {
  // A candidate's summaries are a cache miss at a million records: ask for them a
  // few candidates ahead.
  const size_t nf = indexed.schema.fields.size();
  const char* summaries = indexed.summaries.size() == indexed.values.size()
                              ? reinterpret_cast<const char*>(indexed.summaries.data())
                              : nullptr;
  constexpr size_t kAhead = 6;
  threads = std::max(1, threads);
  std::vector<std::vector<ScoredPair>> parts(static_cast<size_t>(threads));
  std::vector<uint64_t> counts(static_cast<size_t>(threads), 0);
  std::vector<std::thread> pool;
  const size_t n = q.size() - first;
  // Records are handed out in chunks from a shared counter, so a thread that drew
  // the records of common names does not leave the other idle at the end.
  const size_t steps = (n + stride - 1) / stride;
  constexpr size_t kChunk = 64;
  std::atomic<size_t> next{0};
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      std::vector<uint64_t> keys;
      std::vector<uint32_t> cands;
      BlockIndex::Scratch scratch;
      auto& out = parts[static_cast<size_t>(t)];
      uint64_t count = 0;
      for (;;) {
        const size_t from = next.fetch_add(kChunk, std::memory_order_relaxed);
        if (from >= steps) break;
        for (size_t s = from; s < std::min(steps, from + kChunk); ++s) {
          const size_t a = order ? (*order)[s] : first + s * stride;
          std::span<const uint64_t> record_keys;
          if (same && index.HasStoredKeys(a)) {
            record_keys = index.StoredKeys(a);
          } else {
            index.Keys(q, a, keys);
            record_keys = keys;
          }
          // New×new pairs once: from their smaller record.
          if (same)
            index.Candidates(record_keys, static_cast<uint32_t>(first), static_cast<uint32_t>(a),
                             scratch, cands);
          else
            index.Candidates(record_keys, 1, 0, scratch, cands);
          for (size_t k = 0; k < cands.size(); ++k) {
            const uint32_t b = cands[k];
            if (summaries && k + kAhead < cands.size()) {
              const char* at = summaries + cands[k + kAhead] * nf * sizeof(FieldSummary);
              __builtin_prefetch(at);
              __builtin_prefetch(at + 64);
              if (nf * sizeof(FieldSummary) > 128) __builtin_prefetch(at + 128);
            }
            ScoredPair sp;
            sp.a = static_cast<uint32_t>(a);
            sp.b = b;
            ++count;
            if (visit(static_cast<size_t>(t), sp)) out.push_back(sp);
          }
        }
      }
      counts[static_cast<size_t>(t)] = count;
    });
  for (auto& th : pool) th.join();
  for (uint64_t c : counts) visited += c;
  std::vector<ScoredPair> all;
  size_t total = 0;
  for (auto& p : parts) total += p.size();
  all.reserve(total);
  for (auto& p : parts) {
    all.insert(all.end(), p.begin(), p.end());
    std::vector<ScoredPair>().swap(p);
  }
  // Chunks are taken in whatever order the threads run: sort, so the result does
  // not depend on the schedule.
  std::sort(all.begin(), all.end(), [](const ScoredPair& x, const ScoredPair& y) {
    return x.a != y.a ? x.a < y.a : x.b < y.b;
  });
  return all;
}

// Estimation looks at the candidate pairs of about kEstimationRecords records: level
// patterns are few, and their shares settle long before every record is seen.
constexpr size_t kEstimationRecords = 20000;

// Estimates the model from level-pattern counts of a sample of candidate pairs.
void Estimate(Model& model, const BlockIndex& index, const Prepared& a, const Prepared* b,
              const LinkOptions& o) {
  if (o.fixed_model) {
    model = *o.fixed_model;
    return;
  }
  model = InitialModel(a.schema);
  EstimateU(model, a, b, o.u_samples, o.seed, o.threads);
  const size_t stride = std::max<size_t>(1, a.size() / kEstimationRecords);
  std::vector<PatternCounts> per_thread(static_cast<size_t>(std::max(1, o.threads)));
  uint64_t visited = 0;
  const Prepared& indexed = b ? *b : a;
  Candidates(index, a, 0, indexed, b == nullptr, o.threads, stride, visited,
             [&](size_t t, const ScoredPair& p) {
               per_thread[t].Add(CompareRecords(a, p.a, indexed, p.b));
               return false;
             });
  PatternCounts counts;
  for (const auto& pc : per_thread) counts.Merge(pc);
  const double n = static_cast<double>(a.size());
  const double all_pairs = b ? n * static_cast<double>(b->size()) : n * (n - 1) / 2;
  // Per field, the share of pairs whose two values are both present.
  std::vector<double> present(a.schema.fields.size(), 0);
  for (size_t f = 0; f < present.size(); ++f) {
    auto share = [f](const Prepared& p) {
      size_t n = 0;
      for (size_t r = 0; r < p.size(); ++r) n += !p.at(r, f).missing;
      return p.size() ? double(n) / double(p.size()) : 0.0;
    };
    present[f] = share(a) * (b ? share(*b) : share(a));
  }
  EstimateBySessions(model, a.schema, counts, o.fix_u, all_pairs, 1.0 / static_cast<double>(stride),
                     present);
}

// Stands in for the values of a comparison the summaries settle (never read).
const FieldValue kUnread;

// Compares and scores a candidate and keeps it when at or above the floor. Most
// candidates are namesakes that a birth date, a place or an ID number rules out:
// the cheap fields are compared first, and when even the best level the name
// fields could reach (with their term-frequency adjustment) leaves the pair below
// the floor, the names are not compared at all. The bound is exact, so the kept
// pairs and their scores are those of comparing every field.
class KeepAboveFloor {
 public:
  KeepAboveFloor(const Model& model, const Prepared& a, const Prepared& b, double floor,
                 int threads)
      : model_(model),
        a_(a),
        b_(b),
        floor_(floor),
        nf_(a.schema.fields.size()),
        prior_(std::log2(model.prior / (1 - model.prior))),
        caches_(static_cast<size_t>(std::max(1, threads))) {
    summarized_ = a.summaries.size() == a.values.size() && b.summaries.size() == b.values.size();
    for (size_t f = 0; f < nf_; ++f) {
      const FieldSpec& spec = a.schema.fields[f];
      const int levels = LevelCount(spec.comparator);
      std::array<double, 8> w{};
      std::array<bool, 8> adjusted{};
      double agree = -INFINITY, other = -INFINITY;
      for (int l = 1; l < levels && l < 8; ++l) {
        adjusted[static_cast<size_t>(l)] = spec.term_frequency && IsAgreement(spec.comparator, l);
        w[static_cast<size_t>(l)] = model.Weight(f, static_cast<uint8_t>(l));
        if (spec.term_frequency && IsAgreement(spec.comparator, l))
          agree = std::max(agree, w[static_cast<size_t>(l)]);
        else
          other = std::max(other, w[static_cast<size_t>(l)]);
      }
      weights_.push_back(w);
      adjusted_.push_back(adjusted);
      agree_level_.push_back(static_cast<uint8_t>(
          std::find(adjusted.begin(), adjusted.end(), true) - adjusted.begin()));
      if (spec.term_frequency)
        tf_slot_.push_back(tf_fields_++);
      else
        tf_slot_.push_back(0);
      best_agree_.push_back(agree);
      best_other_.push_back(other);
      deferred_.push_back(spec.comparator == Comparator::kName);
      is_id_.push_back(spec.comparator == Comparator::kIdNumber);
    }
  }

  bool operator()(size_t t, ScoredPair& p) const {
    if (!summarized_) {
      p.levels = CompareRecords(a_, p.a, b_, p.b);
      p.score = static_cast<float>(
          model_.Score(a_.schema, p.levels, &a_.values[p.a * nf_], &b_.values[p.b * nf_]));
      return p.score >= floor_;
    }
    const FieldSummary* sa = &a_.summaries[p.a * nf_];
    const FieldSummary* sb = &b_.summaries[p.b * nf_];
    // Values are fetched only when a comparison needs more than the summaries: a
    // record read from a link state is decoded on first use.
    const FieldValue* va = nullptr;
    const FieldValue* vb = nullptr;
    auto fetch = [&] {
      if (!va) {
        va = &a_.values[p.a * nf_];
        vb = &b_.values[p.b * nf_];
      }
    };
    const auto& fields = a_.schema.fields;
    Levels levels{};
    bool both_ids = false;
    for (size_t f = 0; f < nf_; ++f) {
      if (deferred_[f]) continue;
      if (SettledBySummaries(fields[f].comparator, sa[f], sb[f])) {
        levels[f] = CompareSummarized(fields[f].comparator, sa[f], sb[f], kUnread, kUnread);
      } else {
        fetch();
        levels[f] = CompareSummarized(fields[f].comparator, sa[f], sb[f], va[f], vb[f]);
      }
      if (is_id_[f] && levels[f] != kMissing) both_ids = true;
    }
    if (both_ids)  // as CompareRecords: derived values repeat the ID comparison
      for (size_t f = 0; f < nf_; ++f)
        if (!deferred_[f] && (sa[f].derived || sb[f].derived)) levels[f] = kMissing;
    double bound = prior_;
    for (size_t f = 0; f < nf_; ++f) {
      if (deferred_[f]) {
        if (sa[f].missing || sb[f].missing) continue;
        double best = best_other_[f];
        if (best_agree_[f] > -INFINITY)
          best = std::max(best, best_agree_[f] +
                                    (adjusted_[f][1] ? Adjustment(t, f, sa[f].tf, sb[f].tf) : 0.0));
        bound += best;
      } else {
        bound += weights_[f][levels[f]] +
                 (adjusted_[f][levels[f]] ? Adjustment(t, f, sa[f].tf, sb[f].tf) : 0.0);
      }
    }
    if (bound < floor_ - 1e-6) return false;
    for (size_t f = 0; f < nf_; ++f)
      if (deferred_[f]) {
        fetch();
        levels[f] = CompareSummarized(fields[f].comparator, sa[f], sb[f], va[f], vb[f]);
      }
    p.levels = levels;
    // Model::Score, term for term, from the weights and adjustments at hand.
    double score = prior_;
    for (size_t f = 0; f < nf_; ++f) {
      score += weights_[f][levels[f]];
      score += adjusted_[f][levels[f]] ? Adjustment(t, f, sa[f].tf, sb[f].tf) : 0.0;
    }
    p.score = static_cast<float>(score);
    return p.score >= floor_;
  }

 private:
  // Model::TermAdjustment of an agreement: a function of the larger frequency
  // alone, which takes few distinct values (counts over the record count). A
  // thread's last results are kept by the frequency's bits: no logarithm per pair.
  double Adjustment(size_t t, size_t f, float tf_a, float tf_b) const {
    const float tf = std::max(tf_a, tf_b);
    uint32_t bits;
    std::memcpy(&bits, &tf, sizeof bits);
    auto& cache = caches_[t];
    if (cache.empty()) cache.assign(tf_fields_ * kCacheSlots, {UINT32_MAX, 0.0});
    auto& slot = cache[tf_slot_[f] * kCacheSlots + ((bits * 0x9e3779b9u) >> (32 - kCacheBits))];
    if (slot.first != bits) {
      // Any agreement level: the adjustment does not depend on which.
      slot = {bits, model_.TermAdjustment(f, agree_level_[f], a_.schema.fields[f], tf, tf)};
    }
    return slot.second;
  }

  const Model& model_;
  const Prepared& a_;
  const Prepared& b_;
  double floor_;
  size_t nf_;
  bool summarized_ = false;
  double prior_;  // log2 odds
  std::vector<std::array<double, 8>> weights_;
  std::vector<std::array<bool, 8>> adjusted_;  // per field and level: term-frequency adjusted
  std::vector<uint8_t> agree_level_;           // per field: its first adjusted level
  size_t tf_fields_ = 0;
  std::vector<size_t> tf_slot_;  // per term-frequency field: its part of a cache
  static constexpr int kCacheBits = 11;
  static constexpr size_t kCacheSlots = size_t{1} << kCacheBits;
  mutable std::vector<std::vector<std::pair<uint32_t, double>>> caches_;  // per thread
  std::vector<double> best_agree_, best_other_;
  std::vector<bool> deferred_, is_id_;
};

}  // namespace

Linker::Linker(const LinkOptions& options, const Schema& schema)
    : options_(options),
      index_(std::make_unique<BlockIndex>(DefaultRules(schema), options.max_block_size)) {}

bool SettledBySummaries(Comparator c, const FieldSummary& sa, const FieldSummary& sb) {
  if (sa.missing || sb.missing) return true;
  switch (c) {
    case Comparator::kDate:
      return !(sa.exact_day && sb.exact_day) || sa.hash == sb.hash || (sa.packed && sb.packed);
    case Comparator::kIdNumber:
      return sa.hash != sb.hash && (sa.a != sb.a || (sa.b && sb.b));
    case Comparator::kPlace:
      return sa.a != 0 && sb.a != 0;
    case Comparator::kCategory:
      return true;
    default:
      return false;
  }
}

double Linker::PairScore(uint32_t a, uint32_t b) const {
  if (constraints_.Forbidden(prepared_, a, b)) return -INFINITY;
  const size_t nf = prepared_.schema.fields.size();
  Levels l = CompareRecords(prepared_, a, b);
  return model_.Score(prepared_.schema, l, &prepared_.values[a * nf], &prepared_.values[b * nf]);
}

std::vector<ScoredPair> Linker::ScoreAgainstIndex(size_t first, bool estimate) {
  auto t = std::chrono::steady_clock::now();
  double cpu = ProcessCpuSeconds();
  if (estimate) {
    Estimate(model_, *index_, prepared_, nullptr, options_);
    stats_.seconds_estimate += Since(t);
    stats_.cpu_estimate += ProcessCpuSeconds() - cpu;
    t = std::chrono::steady_clock::now();
    cpu = ProcessCpuSeconds();
  }
  // Records are taken in the order of their (first) name's number: the records of
  // one name meet the same candidates and the same candidate names one after the
  // other, so the per-thread name-level table hits and candidates' summaries are
  // still in the cache. The result is sorted, so the order changes nothing else.
  std::vector<uint32_t> order;
  {
    const size_t nf = prepared_.schema.fields.size();
    int name_field = -1;
    for (size_t f = 0; f < nf && name_field < 0; ++f)
      if (prepared_.schema.fields[f].comparator == Comparator::kName)
        name_field = static_cast<int>(f);
    if (name_field >= 0 && prepared_.summaries.size() == prepared_.values.size()) {
      std::vector<std::pair<uint32_t, uint32_t>> keyed;
      keyed.reserve(prepared_.size() - first);
      for (size_t r = first; r < prepared_.size(); ++r)
        keyed.emplace_back(static_cast<uint32_t>(
                               prepared_.values[r * nf + static_cast<size_t>(name_field)].name_id),
                           static_cast<uint32_t>(r));
      std::sort(keyed.begin(), keyed.end());
      order.reserve(keyed.size());
      for (const auto& k : keyed) order.push_back(k.second);
    }
  }
  // Scored as they are found, so memory holds only the pairs worth keeping.
  std::vector<ScoredPair> pairs = Candidates(
      *index_, prepared_, first, prepared_, true, options_.threads, 1, stats_.comparisons,
      KeepAboveFloor{model_, prepared_, prepared_, Log2Odds(options_.pair_floor), options_.threads},
      order.empty() ? nullptr : &order);
  for (auto& p : pairs)
    if (p.a > p.b) std::swap(p.a, p.b);
  index_->ForgetStoredKeys();
  stats_.oversized_blocks_skipped = index_->oversized_blocks_skipped();
  stats_.seconds_score += Since(t);
  stats_.cpu_score += ProcessCpuSeconds() - cpu;
  return pairs;
}

void Linker::Cluster(const std::vector<ScoredPair>& pairs, bool batch) {
  auto t = std::chrono::steady_clock::now();
  const double cpu = ProcessCpuSeconds();
  const size_t before = clusters_.size();
  clusters_.Grow(prepared_.size());
  const float min = static_cast<float>(Log2Odds(options_.match_probability));
  // The pairs above the line that no constraint forbids, in their order: each
  // thread takes one stretch of them.
  const size_t threads = static_cast<size_t>(std::max(1, options_.threads));
  std::vector<std::vector<Edge>> stretches(threads);
  {
    std::vector<std::thread> pool;
    for (size_t i = 0; i < threads; ++i)
      pool.emplace_back([&, i] {
        const size_t from = pairs.size() * i / threads, to = pairs.size() * (i + 1) / threads;
        for (size_t k = from; k < to; ++k) {
          const ScoredPair& p = pairs[k];
          if (p.score >= min && !constraints_.Forbidden(prepared_, p.a, p.b))
            stretches[i].push_back({p.a, p.b, p.score});
        }
      });
    for (auto& th : pool) th.join();
  }
  std::vector<Edge> edges = std::move(stretches[0]);
  for (size_t i = 1; i < threads; ++i) {
    edges.insert(edges.end(), stretches[i].begin(), stretches[i].end());
    std::vector<Edge>().swap(stretches[i]);
  }
  if (batch) {
    // Every cluster is new: Build names each after its smallest id afterwards.
    ApplyEdges(std::move(edges));
    AttachNameOnly(pairs);
    stats_.seconds_cluster += Since(t);
    stats_.cpu_cluster += ProcessCpuSeconds() - cpu;
    return;
  }
  // Names of the clusters before merging, so that a merged cluster keeps the name
  // of a cluster that existed before this run (then the larger one; ties: the
  // smaller name) whatever root union-find picks.
  std::unordered_map<uint32_t, std::string> names;
  for (const Edge& e : edges)
    for (uint32_t r : {e.a, e.b}) {
      uint32_t root = clusters_.Find(r);
      names.emplace(root, RootName(root));
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
    ranks[root] = {root < before, clusters_.MemberCount(root), name};
  ApplyEdges(std::move(edges));
  AttachNameOnly(pairs);
  std::unordered_map<uint32_t, Rank> best;
  for (const auto& [old_root, rank] : ranks) {
    uint32_t root = clusters_.Find(old_root);
    auto it = best.find(root);
    if (it == best.end() || rank.Beats(it->second)) best[root] = rank;
  }
  // Roots that are no longer roots keep no name.
  for (const auto& [old_root, rank] : ranks)
    if (clusters_.Find(old_root) != old_root) renamed_.erase(old_root);
  for (auto& [root, rank] : best) SetRootName(root, rank.name);
  stats_.seconds_cluster += Since(t);
  stats_.cpu_cluster += ProcessCpuSeconds() - cpu;
}

void Linker::ApplyEdges(std::vector<Edge> edges) {
  clusters_.Apply(
      std::move(edges),
      [this](std::span<const uint32_t> a, std::span<const uint32_t> b) {
        GroupScore g;
        g.log2_odds = ScoreGroups(
            model_, prepared_, a, b,
            [this](uint32_t x, uint32_t y) { return constraints_.Forbidden(prepared_, x, y); },
            &g.weakest_pair);
        return g;
      },
      options_.cluster);
}

void Linker::AttachNameOnly(const std::vector<ScoredPair>& pairs) {
  const Schema& schema = prepared_.schema;
  const size_t nf = schema.fields.size();
  std::vector<size_t> names, identifying;  // name fields; birth date and ID number fields
  for (size_t f = 0; f < nf; ++f) {
    const Comparator c = schema.fields[f].comparator;
    if (c == Comparator::kName) names.push_back(f);
    if (c == Comparator::kDate || c == Comparator::kIdNumber) identifying.push_back(f);
  }
  if (names.empty()) return;
  std::vector<std::pair<uint32_t, uint32_t>> agreeing;
  for (const auto& p : pairs) {
    bool agree = true;
    for (size_t f : names) agree = agree && IsAgreement(Comparator::kName, p.levels[f]);
    if (agree) agreeing.emplace_back(p.a, p.b);
  }
  const double veto = Log2Odds(options_.cluster.veto_probability);
  const double prior = Log2Odds(model_.prior);
  // The two groups share a name and nothing besides the name speaks against them
  // being one person (another sex, another place, a contradicting date).
  auto nothing_but_the_name = [&](std::span<const uint32_t> a, std::span<const uint32_t> b) {
    double weakest = 0, name_bits = 0;
    const double score = ScoreGroups(
        model_, prepared_, a, b,
        [this](uint32_t x, uint32_t y) { return constraints_.Forbidden(prepared_, x, y); },
        &weakest, &name_bits);
    return weakest >= veto && score - prior - name_bits >= 0;
  };
  clusters_.AttachByUniqueName(
      agreeing,
      [&](uint32_t r) {
        for (size_t f : identifying)
          if (!prepared_.at(r, f).missing) return false;
        return true;
      },
      [&](uint32_t r, std::span<const uint32_t> members) {
        const uint32_t one[] = {r};
        return nothing_but_the_name(one, members);
      });
  clusters_.MergeMutualNameHolders(agreeing,
                                   [&](std::span<const uint32_t> a, std::span<const uint32_t> b) {
                                     if (a.size() * b.size() > options_.cluster.max_member_pairs)
                                       return false;
                                     return nothing_but_the_name(a, b);
                                   });
}

Linker Linker::Build(const RawRecords& raw, const LinkOptions& options) {
  Linker l(options, raw.schema);
  auto t = std::chrono::steady_clock::now();
  const double cpu = ProcessCpuSeconds();
  l.prepared_ = Prepare(raw, options.threads);
  for (const auto& v : raw.values) l.fingerprints_.push_back(RawFingerprint(v));
  l.index_->Add(l.prepared_, 0, options.threads);
  l.stats_.seconds_prepare = Since(t);
  l.stats_.cpu_prepare = ProcessCpuSeconds() - cpu;
  l.pairs_ = l.ScoreAgainstIndex(0, true);
  // A batch names each cluster after its smallest id: the same input gives the
  // same names whatever order the rows come in. Singletons: their own id.
  l.Cluster(l.pairs_, /*batch=*/true);
  const auto& ids = l.prepared_.ids;
  std::vector<uint32_t> smallest(ids.size(), UINT32_MAX);  // per root: its smallest id's record
  for (uint32_t r = 0; r < ids.size(); ++r) {
    uint32_t& s = smallest[l.clusters_.Find(r)];
    if (s == UINT32_MAX || ids[r] < ids[s]) s = r;
  }
  for (uint32_t root = 0; root < ids.size(); ++root)
    if (smallest[root] != UINT32_MAX && smallest[root] != root)
      l.renamed_[root] = ids[smallest[root]];
  return l;
}

std::vector<uint32_t> Linker::Add(const RawRecords& raw) {
  auto t = std::chrono::steady_clock::now();
  const double cpu = ProcessCpuSeconds();
  const size_t first = prepared_.size();
  Append(prepared_, raw, options_.threads);
  for (const auto& v : raw.values) fingerprints_.push_back(RawFingerprint(v));
  index_->Add(prepared_, first, options_.threads);
  stats_.seconds_prepare += Since(t);
  stats_.cpu_prepare += ProcessCpuSeconds() - cpu;
  std::vector<ScoredPair> pairs = ScoreAgainstIndex(first, false);
  Cluster(pairs);
  pairs_.insert(pairs_.end(), pairs.begin(), pairs.end());
  std::vector<uint32_t> added;
  for (size_t r = first; r < prepared_.size(); ++r) added.push_back(static_cast<uint32_t>(r));
  return added;
}

const std::string& Linker::ClusterId(uint32_t r) { return RootName(clusters_.Find(r)); }

ListLink LinkLists(const RawRecords& a, const RawRecords& b, const LinkOptions& options) {
  ListLink out;
  auto t = std::chrono::steady_clock::now();
  out.a = Prepare(a, options.threads);
  out.b = Prepare(b, options.threads);
  BlockIndex index(DefaultRules(b.schema), options.max_block_size);
  index.Add(out.b, 0, options.threads);
  index.ForgetStoredKeys();  // list A's records are not in the index: their keys are computed
  out.stats.seconds_prepare = Since(t);
  t = std::chrono::steady_clock::now();
  Estimate(out.model, index, out.a, &out.b, options);
  out.stats.seconds_estimate = Since(t);
  t = std::chrono::steady_clock::now();
  out.pairs = Candidates(
      index, out.a, 0, out.b, false, options.threads, 1, out.stats.comparisons,
      KeepAboveFloor{out.model, out.a, out.b, Log2Odds(options.pair_floor), options.threads});
  out.stats.oversized_blocks_skipped = index.oversized_blocks_skipped();
  out.stats.seconds_score = Since(t);
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
