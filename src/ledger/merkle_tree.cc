#include "ledger/merkle_tree.h"

#include <bit>
#include <string>

namespace izde::ledger {

Result<MerkleTree> MerkleTree::FromEdge(std::uint64_t size, std::vector<HeldLevel> levels,
                                        Source source) {
  MerkleTree t;
  std::size_t count = 0;
  while (count < 64 && (size >> count) > 0) ++count;
  if (levels.size() != count)
    return Status::Corrupt("a tree of " + std::to_string(size) + " leaves has " +
                           std::to_string(count) + " levels, not " + std::to_string(levels.size()));
  for (std::size_t l = 0; l < count; ++l) {
    const std::uint64_t n = size >> l;
    HeldLevel& h = levels[l];
    if (h.first > n || h.first + h.hashes.size() != n || (n % 2 == 1 && h.hashes.empty()))
      return Status::Corrupt("level " + std::to_string(l) + " of a tree of " +
                             std::to_string(size) + " leaves cannot hold hashes " +
                             std::to_string(h.first) + " to " +
                             std::to_string(h.first + h.hashes.size()));
    t.first_.push_back(h.first);
    t.levels_.push_back(std::move(h.hashes));
  }
  t.source_ = std::move(source);
  return t;
}

void MerkleTree::Reserve(std::uint64_t leaves) {
  for (std::size_t level = 0; (leaves >> level) > 0; ++level) {
    if (levels_.size() <= level) levels_.emplace_back(), first_.push_back(0);
    const std::uint64_t want = leaves >> level;
    if (want > first_[level]) levels_[level].reserve(want - first_[level]);
  }
}

std::uint64_t MerkleTree::Append(const Hash& leaf_hash) {
  if (levels_.empty()) levels_.emplace_back(), first_.push_back(0);
  levels_[0].push_back(leaf_hash);
  const std::uint64_t index = LevelSize(0) - 1;
  // Every time a level gets an even count, a new complete subtree closes above it. Its
  // two halves are the level's last two hashes, held (FromEdge holds a level's last hash
  // whenever the count is odd).
  for (std::size_t level = 0; LevelSize(level) % 2 == 0; ++level) {
    if (levels_.size() == level + 1) levels_.emplace_back(), first_.push_back(0);
    const std::vector<Hash>& below = levels_[level];
    Hash parent = HashChildren(below[below.size() - 2], below[below.size() - 1]);
    levels_[level + 1].push_back(parent);
  }
  return index;
}

Result<Hash> MerkleTree::Node(std::size_t level, std::uint64_t index) const {
  if (index >= LevelSize(level))
    return Status::NotFound("level " + std::to_string(level) + " of the tree has no hash " +
                            std::to_string(index));
  if (index >= first_[level]) return levels_[level][index - first_[level]];
  if (!source_) return Status::NotFound("hash " + std::to_string(index) + " is not held");
  return source_(level, index);
}

Result<Hash> MerkleTree::RangeHash(std::uint64_t begin, std::uint64_t end) const {
  const std::uint64_t n = end - begin;
  if (n == 0) return EmptyTreeHash();
  if (std::has_single_bit(n)) {
    const int level = std::countr_zero(n);
    return Node(level, begin >> level);
  }
  const std::uint64_t k = SplitPoint(n);
  IZDE_ASSIGN_OR_RETURN(Hash left, RangeHash(begin, begin + k));
  IZDE_ASSIGN_OR_RETURN(Hash right, RangeHash(begin + k, end));
  return HashChildren(left, right);
}

Hash MerkleTree::Root() const {
  // The whole tree's root needs only the last complete subtree of each level whose count
  // is odd: always held.
  auto root = RangeHash(0, Size());
  return root.ok() ? *root : Hash{};
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
  return Node(0, index);
}

Status MerkleTree::Path(std::uint64_t index, std::uint64_t begin, std::uint64_t end,
                        std::vector<Hash>& out) const {
  if (end - begin <= 1) return Status::Ok();
  const std::uint64_t k = SplitPoint(end - begin);
  if (index < begin + k) {
    IZDE_RETURN_IF_ERROR(Path(index, begin, begin + k, out));
    IZDE_ASSIGN_OR_RETURN(Hash h, RangeHash(begin + k, end));
    out.push_back(h);
  } else {
    IZDE_RETURN_IF_ERROR(Path(index, begin + k, end, out));
    IZDE_ASSIGN_OR_RETURN(Hash h, RangeHash(begin, begin + k));
    out.push_back(h);
  }
  return Status::Ok();
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
  IZDE_RETURN_IF_ERROR(Path(index, 0, tree_size, out));
  return out;
}

Status MerkleTree::SubProof(std::uint64_t m, std::uint64_t begin, std::uint64_t end, bool whole,
                            std::vector<Hash>& out) const {
  const std::uint64_t n = end - begin;
  if (m == n) {
    if (!whole) {
      IZDE_ASSIGN_OR_RETURN(Hash h, RangeHash(begin, end));
      out.push_back(h);
    }
    return Status::Ok();
  }
  const std::uint64_t k = SplitPoint(n);
  if (m <= k) {
    IZDE_RETURN_IF_ERROR(SubProof(m, begin, begin + k, whole, out));
    IZDE_ASSIGN_OR_RETURN(Hash h, RangeHash(begin + k, end));
    out.push_back(h);
  } else {
    IZDE_RETURN_IF_ERROR(SubProof(m - k, begin + k, end, false, out));
    IZDE_ASSIGN_OR_RETURN(Hash h, RangeHash(begin, begin + k));
    out.push_back(h);
  }
  return Status::Ok();
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
  IZDE_RETURN_IF_ERROR(SubProof(old_size, 0, new_size, true, out));
  return out;
}

}  // namespace izde::ledger
