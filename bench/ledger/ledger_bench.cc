// Ledger throughput against the raw SHA-256 speed of the same machine, in the same run.
// An append costs one leaf hash plus, amortised, one node hash, so the ideal append rate
// is about half the raw rate for messages of that size.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <random>
#include <string>

#include "ledger/log.h"
#include "ledger/merkle_proof.h"
#include "ledger/merkle_tree.h"
#include "ledger/record_leaf.h"

namespace izde::ledger {
namespace {

// Baseline: raw SHA-256 of 65-byte messages (the size of a Merkle node input).
void BM_RawSha256_65B(benchmark::State& state) {
  std::uint8_t buf[65] = {1};
  Hash h{};
  for (auto _ : state) {
    h = Sha256Of(Bytes(buf, sizeof buf));
    buf[1] = h[0];
  }
  benchmark::DoNotOptimize(h);
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * 65);
}
BENCHMARK(BM_RawSha256_65B);

// Baseline: raw SHA-256 over a 1 MiB buffer (what `openssl speed` reports as bulk rate).
void BM_RawSha256_1MiB(benchmark::State& state) {
  std::vector<std::uint8_t> buf(1 << 20, 7);
  for (auto _ : state) benchmark::DoNotOptimize(Sha256Of(buf));
  state.SetBytesProcessed(state.iterations() * buf.size());
}
BENCHMARK(BM_RawSha256_1MiB);

// In-memory append of a 200-byte entry (about a 5-field record leaf): leaf hash + tree.
void BM_TreeAppend(benchmark::State& state) {
  MerkleTree tree;
  std::vector<std::uint8_t> entry(200, 3);
  std::uint64_t i = 0;
  for (auto _ : state) {
    entry[0] = static_cast<std::uint8_t>(i++);
    tree.Append(HashLeaf(entry));
  }
  benchmark::DoNotOptimize(tree.Root());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TreeAppend);

// Appends to the on-disk log, committing (fsync) every 10,000 entries.
void BM_LogAppendCommitEvery10k(benchmark::State& state) {
  const auto dir = std::filesystem::temp_directory_path() / "izde-bench-log";
  std::filesystem::remove_all(dir);
  Log log = std::move(Log::Create(dir)).value();
  std::vector<std::uint8_t> entry(200, 3);
  std::uint64_t i = 0;
  for (auto _ : state) {
    entry[0] = static_cast<std::uint8_t>(i);
    entry[1] = static_cast<std::uint8_t>(i >> 8);
    if (!log.Append(entry).ok()) state.SkipWithError("append failed");
    if (++i % 10000 == 0 && !log.Commit().ok()) state.SkipWithError("commit failed");
  }
  if (!log.Commit().ok()) state.SkipWithError("commit failed");
  state.SetItemsProcessed(state.iterations());
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_LogAppendCommitEvery10k)->Iterations(200000);

// Building one record-version leaf with 10 fields (commitments + encoding + leaf hash).
void BM_RecordLeafBuild10Fields(benchmark::State& state) {
  std::vector<FieldOpening> fields;
  for (int f = 0; f < 10; ++f) {
    fields.push_back(
        {"field" + std::to_string(f), "synthetic value " + std::to_string(f), NewSalt()});
  }
  for (auto _ : state) {
    auto leaf = RecordLeaf::Build("rec-1", "person", 1, Hash{}, fields);
    benchmark::DoNotOptimize(leaf->LeafHash());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RecordLeafBuild10Fields);

const MerkleTree& TenMillionLeafTree() {
  static const MerkleTree* tree = [] {
    auto* t = new MerkleTree;
    t->Reserve(10'000'000);
    std::uint8_t buf[8];
    for (std::uint64_t i = 0; i < 10'000'000; ++i) {
      for (int b = 0; b < 8; ++b) buf[b] = static_cast<std::uint8_t>(i >> (8 * b));
      t->Append(HashLeaf(Bytes(buf, 8)));
    }
    return t;
  }();
  return *tree;
}

// Inclusion proof for a random leaf in a 10,000,000-leaf tree (size not a power of 2).
void BM_InclusionProof10M(benchmark::State& state) {
  const MerkleTree& tree = TenMillionLeafTree();
  std::mt19937_64 rng(42);
  for (auto _ : state) {
    auto proof = tree.InclusionProof(rng() % tree.Size(), tree.Size());
    benchmark::DoNotOptimize(proof);
  }
}
BENCHMARK(BM_InclusionProof10M)->Unit(benchmark::kMicrosecond);

// Third-party side: verifying such a proof.
void BM_VerifyInclusion10M(benchmark::State& state) {
  const MerkleTree& tree = TenMillionLeafTree();
  const Hash root = tree.Root();
  const std::uint64_t i = 7'654'321;
  auto proof = *tree.InclusionProof(i, tree.Size());
  const Hash leaf = *tree.LeafHash(i);
  for (auto _ : state) {
    benchmark::DoNotOptimize(VerifyInclusion(i, tree.Size(), leaf, proof, root));
  }
}
BENCHMARK(BM_VerifyInclusion10M)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace izde::ledger

BENCHMARK_MAIN();
