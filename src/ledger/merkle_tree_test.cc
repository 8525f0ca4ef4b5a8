#include "ledger/merkle_tree.h"

#include <gtest/gtest.h>

#include <string>

#include "ledger/merkle_proof.h"

namespace izde::ledger {
namespace {

std::vector<Hash> Leaves(std::uint64_t n) {
  std::vector<Hash> out;
  for (std::uint64_t i = 0; i < n; ++i)
    out.push_back(HashLeaf(AsBytes("leaf " + std::to_string(i))));
  return out;
}

// RFC 9162's recursive definition, written as directly as possible, as the reference.
Hash ReferenceRoot(const std::vector<Hash>& leaves, std::size_t begin, std::size_t end) {
  if (end == begin) return EmptyTreeHash();
  if (end - begin == 1) return leaves[begin];
  std::size_t k = 1;
  while (k * 2 < end - begin) k *= 2;
  return HashChildren(ReferenceRoot(leaves, begin, begin + k),
                      ReferenceRoot(leaves, begin + k, end));
}

TEST(MerkleTree, EmptyTreeRootIsHashOfNothing) {
  MerkleTree t;
  EXPECT_EQ(HexOf(t.Root()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(MerkleTree, RootsMatchReferenceAtEverySize) {
  auto leaves = Leaves(130);
  MerkleTree t;
  for (std::size_t n = 1; n <= leaves.size(); ++n) {
    t.Append(leaves[n - 1]);
    ASSERT_EQ(t.Root(), ReferenceRoot(leaves, 0, n)) << n;
  }
  for (std::size_t n = 0; n <= leaves.size(); ++n) {
    ASSERT_EQ(t.RootAt(n).value(), ReferenceRoot(leaves, 0, n)) << n;
  }
  EXPECT_FALSE(t.RootAt(131).ok());
}

TEST(MerkleTree, InclusionProofsVerifyAndNothingElseDoes) {
  auto leaves = Leaves(70);
  MerkleTree t;
  for (const Hash& h : leaves) t.Append(h);
  for (std::uint64_t n = 1; n <= 70; ++n) {
    Hash root = t.RootAt(n).value();
    for (std::uint64_t i = 0; i < n; ++i) {
      auto proof = t.InclusionProof(i, n);
      ASSERT_TRUE(proof.ok());
      ASSERT_TRUE(VerifyInclusion(i, n, leaves[i], *proof, root).ok()) << i << "/" << n;
      if (n > 1) {
        EXPECT_FALSE(VerifyInclusion((i + 1) % n, n, leaves[i], *proof, root).ok());
        EXPECT_FALSE(VerifyInclusion(i, n, leaves[(i + 1) % n], *proof, root).ok());
      }
      if (!proof->empty()) {
        auto bad = *proof;
        bad.back()[0] ^= 1;
        EXPECT_FALSE(VerifyInclusion(i, n, leaves[i], bad, root).ok());
        bad = *proof;
        bad.pop_back();
        EXPECT_FALSE(VerifyInclusion(i, n, leaves[i], bad, root).ok());
      }
    }
  }
  EXPECT_FALSE(t.InclusionProof(5, 5).ok());
  EXPECT_FALSE(t.InclusionProof(0, 71).ok());
}

TEST(MerkleTree, ConsistencyProofsVerifyAndDetectRewrites) {
  auto leaves = Leaves(70);
  MerkleTree t;
  for (const Hash& h : leaves) t.Append(h);
  for (std::uint64_t n = 1; n <= 70; ++n) {
    Hash new_root = t.RootAt(n).value();
    for (std::uint64_t m = 1; m <= n; ++m) {
      Hash old_root = t.RootAt(m).value();
      auto proof = t.ConsistencyProof(m, n);
      ASSERT_TRUE(proof.ok());
      ASSERT_TRUE(VerifyConsistency(m, n, old_root, new_root, *proof).ok()) << m << "->" << n;
      Hash forged = old_root;
      forged[31] ^= 0x80;
      EXPECT_FALSE(VerifyConsistency(m, n, forged, new_root, *proof).ok());
      EXPECT_FALSE(VerifyConsistency(m, n, old_root, forged, *proof).ok());
    }
  }
  EXPECT_FALSE(t.ConsistencyProof(0, 3).ok());
  EXPECT_FALSE(t.ConsistencyProof(4, 3).ok());
}

TEST(MerkleTree, RollbackIsNamed) {
  Hash h = HashLeaf(AsBytes("a"));
  Status s = VerifyConsistency(5, 3, h, h, {});
  EXPECT_NE(s.message().find("rolled back"), std::string::npos);
}

}  // namespace
}  // namespace izde::ledger
