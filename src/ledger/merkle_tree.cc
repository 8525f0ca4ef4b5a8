#include "ledger/merkle_tree.h"

#include <bit>
#include <string>

namespace izde::ledger {

void MerkleTree::Reserve(std::uint64_t leaves) {
  for (std::size_t level = 0; (leaves >> level) > 0; ++level) {
    if (levels_.size() <= level) levels_.emplace_back();
    levels_[level].reserve(leaves >> level);
  }
}

std::uint64_t MerkleTree::Append(const Hash& leaf_hash) {
  if (levels_.empty()) levels_.emplace_back();
  levels_[0].push_back(leaf_hash);
  const std::uint64_t index = levels_[0].size() - 1;
  // Every time a level gets an even count, a new complete subtree closes above it.
  for (std::size_t level = 0; levels_[level].size() % 2 == 0; ++level) {
    if (levels_.size() == level + 1) levels_.emplace_back();
    const std::vector<Hash>& below = levels_[level];
    Hash parent = HashChildren(below[below.size() - 2], below[below.size() - 1]);
    levels_[level + 1].push_back(parent);
  }
  return index;
}

Hash MerkleTree::RangeHash(std::uint64_t begin, std::uint64_t end) const {
  const std::uint64_t n = end - begin;
  if (n == 0) return EmptyTreeHash();
  if (std::has_single_bit(n)) {
    const int level = std::countr_zero(n);
    return levels_[level][begin >> level];
  }
  const std::uint64_t k = SplitPoint(n);
  return HashChildren(RangeHash(begin, begin + k), RangeHash(begin + k, end));
}

Result<Hash> MerkleTree::RootAt(std::uint64_t tree_size) const {
  if (tree_size > Size()) {
    return Status::NotFound("the log has " + std::to_string(Size()) + " leaves, not " +
                            std::to_string(tree_size));
  }
  return RangeHash(0, tree_size);
}

Result<Hash> MerkleTree::LeafHash(std::uint64_t index) const {
  if (index >= Size()) {
    return Status::NotFound("leaf " + std::to_string(index) + " is not in a log of " +
                            std::to_string(Size()) + " leaves");
  }
  return levels_[0][index];
}

void MerkleTree::Path(std::uint64_t index, std::uint64_t begin, std::uint64_t end,
                      std::vector<Hash>& out) const {
  if (end - begin <= 1) return;
  const std::uint64_t k = SplitPoint(end - begin);
  if (index < begin + k) {
    Path(index, begin, begin + k, out);
    out.push_back(RangeHash(begin + k, end));
  } else {
    Path(index, begin + k, end, out);
    out.push_back(RangeHash(begin, begin + k));
  }
}

Result<std::vector<Hash>> MerkleTree::InclusionProof(std::uint64_t index,
                                                     std::uint64_t tree_size) const {
  if (tree_size > Size()) {
    return Status::NotFound("cannot prove against size " + std::to_string(tree_size) +
                            ": the log has only " + std::to_string(Size()) + " leaves");
  }
  if (index >= tree_size) {
    return Status::InvalidInput("leaf " + std::to_string(index) + " is not in a tree of " +
                                std::to_string(tree_size) + " leaves");
  }
  std::vector<Hash> out;
  out.reserve(64);
  Path(index, 0, tree_size, out);
  return out;
}

void MerkleTree::SubProof(std::uint64_t m, std::uint64_t begin, std::uint64_t end, bool whole,
                          std::vector<Hash>& out) const {
  const std::uint64_t n = end - begin;
  if (m == n) {
    if (!whole) out.push_back(RangeHash(begin, end));
    return;
  }
  const std::uint64_t k = SplitPoint(n);
  if (m <= k) {
    SubProof(m, begin, begin + k, whole, out);
    out.push_back(RangeHash(begin + k, end));
  } else {
    SubProof(m - k, begin + k, end, false, out);
    out.push_back(RangeHash(begin, begin + k));
  }
}

Result<std::vector<Hash>> MerkleTree::ConsistencyProof(std::uint64_t old_size,
                                                       std::uint64_t new_size) const {
  if (new_size > Size()) {
    return Status::NotFound("cannot prove consistency up to size " + std::to_string(new_size) +
                            ": the log has only " + std::to_string(Size()) + " leaves");
  }
  if (old_size == 0 || old_size > new_size) {
    return Status::InvalidInput("a consistency proof needs 0 < old size <= new size, got " +
                                std::to_string(old_size) + " and " + std::to_string(new_size));
  }
  std::vector<Hash> out;
  SubProof(old_size, 0, new_size, true, out);
  return out;
}

}  // namespace izde::ledger
