// The linkage pipeline: prepare, block, estimate the model (u from random pairs,
// m and the prior by EM), score candidate pairs, cluster. A Linker keeps its
// prepared records, block index, model and clusters, so new records are linked
// against existing clusters without recomputing anything else, and cluster ids
// stay stable: a cluster is named after its smallest record id when it forms
// and keeps that name as records join it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "link/blocking.h"
#include "link/cluster.h"
#include "link/constraints.h"
#include "link/fields.h"
#include "link/model.h"

namespace izde::link {

struct LinkOptions {
  int threads = 1;
  size_t max_block_size = 400;
  size_t u_samples = 400000;
  uint64_t seed = 1;
  // Pairs at or above this probability are kept (for --pairs and clustering).
  double pair_floor = 0.01;
  // Pairs at or above this probability are proposed as the same person. Not one
  // half: pairwise F1 gains from a link that is right more often than F1/2 of the
  // time (about 0.43 here), and the model's probabilities in that range are
  // under-confident (on the cross-script benchmark, pairs at p 0.3-0.5 are the same
  // person 56% of the time). 0.35 is the pairwise-F1 optimum on the benchmark's
  // seed 7 (flat from 0.3 to 0.38); docs/linkage.md#clustering.
  double match_probability = 0.35;
  bool fix_u = true;
  std::optional<Model> fixed_model;  // m/u set by hand: no estimation
  ClusterOptions cluster;
};

struct ScoredPair {
  uint32_t a = 0, b = 0;
  float score = 0;  // log2 odds
  Levels levels{};
};

struct LinkStats {
  uint64_t comparisons = 0;  // candidate pairs scored
  size_t oversized_blocks_skipped = 0;
  // Wall time of each phase (prepare includes building the block index), and the
  // CPU time the process spent in it (all threads): a phase whose CPU time is
  // close to its wall time ran on one core.
  double seconds_prepare = 0, seconds_estimate = 0, seconds_score = 0, seconds_cluster = 0;
  double cpu_prepare = 0, cpu_estimate = 0, cpu_score = 0, cpu_cluster = 0;
};

// CPU time (user + system) the process has used so far, in seconds.
double ProcessCpuSeconds();

class Linker {
 public:
  // Links `raw` as one list (deduplication).
  static Linker Build(const RawRecords& raw, const LinkOptions& options);

  // Links new records against the existing ones; returns their indices.
  std::vector<uint32_t> Add(const RawRecords& raw);

  // The whole state — prepared records, block index, model, clusters and their
  // stable ids — as bytes (docs/formats/link-state.md), so that a later process
  // can Add records without preparing, indexing or estimating again. The bytes
  // hold name keys: callers seal them (they never reach a disk in the clear).
  // Without `with_pairs` the kept pairs are left out (izde dedupe does not need them:
  // its --pairs lists the pairs of one run; izde link rebuilds its queue from them).
  std::string SaveState(bool with_pairs = true) const;
  // Reads SaveState's bytes; `threads` is the only option taken from the caller
  // (the others are the state's). `what` names the source in errors. Damaged or
  // foreign bytes give kCorrupt, never a crash.
  static Result<Linker> LoadState(std::string_view bytes, int threads, const std::string& what);
  // The same, keeping `bytes` (the block index is read where it lies instead of
  // copied). The linker wipes them when it no longer needs them.
  static Result<Linker> LoadState(std::string&& bytes, int threads, const std::string& what);
  // The same, then `deltas` (SaveDelta's bytes, oldest first) applied in order: the
  // linker as it was when the last of them was saved. A delta that does not follow
  // the state before it is kCorrupt.
  static Result<Linker> LoadState(std::string&& bytes, std::vector<std::string>&& deltas,
                                  int threads, const std::string& what);
  // What changed since the state was loaded (or since MarkSaved): the records added,
  // their values, the clusters that moved, the model, and (with_pairs) the pairs
  // scored; a few hundred kilobytes for a thousand new records against a million,
  // where SaveState writes them all. Only for a linker from LoadState.
  bool CanSaveDelta() const { return saved_.has_value(); }
  std::string SaveDelta(bool with_pairs = true) const;
  // The linker as it is now is what the next delta starts from.
  void MarkSaved();
  // Records added since the state was loaded or last marked saved, and their indices
  // start; and the records whose cluster id changed since then (records before that).
  size_t saved_records() const { return saved_ ? saved_->records : 0; }
  std::vector<uint32_t> RecordsWithNewClusterIds();
  // Fingerprint of a record's raw values, kept per record in the state, so that a
  // caller can tell an unchanged record from one edited since.
  static uint64_t RawFingerprint(const std::vector<std::string>& values);
  uint64_t fingerprint(uint32_t r) const { return fingerprints_[r]; }

  const Prepared& prepared() const { return prepared_; }
  const LinkOptions& options() const { return options_; }
  const Model& model() const { return model_; }
  Constraints& constraints() { return constraints_; }
  const std::vector<ScoredPair>& pairs() const { return pairs_; }
  const LinkStats& stats() const { return stats_; }
  // Stable cluster id of record r.
  const std::string& ClusterId(uint32_t r);
  double PairScore(uint32_t a, uint32_t b) const;

 private:
  // Clusters::AttachByUniqueName, then Clusters::MergeMutualNameHolders, over the
  // name-agreeing pairs among `pairs`.
  void AttachNameOnly(const std::vector<ScoredPair>& pairs);
  Linker(const LinkOptions& options, const Schema& schema);
  std::vector<ScoredPair> ScoreAgainstIndex(size_t first, bool estimate);
  // `batch`: the first clustering of a Build, every cluster new (Build names them).
  void Cluster(const std::vector<ScoredPair>& pairs, bool batch = false);
  void ApplyEdges(std::vector<Edge> edges);

  LinkOptions options_;
  Prepared prepared_;
  std::unique_ptr<BlockIndex> index_;
  Model model_;
  Constraints constraints_;
  Clusters clusters_;
  // A cluster's stable id is its root's record id unless named otherwise here.
  std::unordered_map<uint32_t, std::string> renamed_;
  const std::string& RootName(uint32_t root) const {
    auto it = renamed_.find(root);
    return it == renamed_.end() ? prepared_.ids[root] : it->second;
  }
  // Whether renamed_'s entry for r names a cluster (Cluster leaves stale ones).
  bool NameInUse(uint32_t r, const std::string& name) const {
    return clusters_.Find(r) == r && name != prepared_.ids[r];
  }
  void SetRootName(uint32_t root, std::string name) {
    if (name == prepared_.ids[root])
      renamed_.erase(root);
    else
      renamed_[root] = std::move(name);
  }
  std::vector<ScoredPair> pairs_;
  std::vector<uint64_t> fingerprints_;  // RawFingerprint per record
  // The linker as last loaded or saved: what SaveDelta compares against.
  struct Saved {
    size_t records = 0, pairs = 0;
    std::vector<uint32_t> roots;  // per record
    std::unordered_map<uint32_t, std::string> renamed;
    std::vector<std::pair<uint32_t, uint32_t>> cannot;
  };
  std::optional<Saved> saved_;
  static Result<Linker> Load(std::string&& bytes, std::vector<std::string>* deltas, int threads,
                             const std::string& what);
  Status ApplyDelta(const std::string& bytes, size_t number, const std::string& what,
                    std::vector<uint32_t>& root_of);
  LinkStats stats_;
};

// Links list A to list B (FEBRL 4 style): every pair with probability at or
// above options.pair_floor, a indexing A and b indexing B.
struct ListLink {
  Prepared a, b;
  Model model;
  std::vector<ScoredPair> pairs;
  LinkStats stats;
};
ListLink LinkLists(const RawRecords& a, const RawRecords& b, const LinkOptions& options);

// Whether CompareSummarized (fields.h) settles a field of comparator c from the
// two summaries alone, without reading the values: then the linker does not fetch
// them (a record read from a link state is decoded on first use). link_test checks
// that this agrees with CompareSummarized.
bool SettledBySummaries(Comparator c, const FieldSummary& sa, const FieldSummary& sb);

// Keeps, for one-to-one lists, each record's best pair only when it is also the
// best for its partner.
std::vector<ScoredPair> MutualBest(const std::vector<ScoredPair>& pairs);

}  // namespace izde::link
