// An append-only RFC 9162 Merkle tree. For every level it keeps the hashes of the complete
// subtrees, so the root of any earlier size and any inclusion or consistency proof cost
// O(log n) hash lookups plus at most O(log n) hashes along the right edge. Memory: about
// 64 bytes per leaf. Level 0 is the leaf hashes; level k holds the hashes of the aligned
// 2^k-leaf subtrees (the same hashes tlog tiles store).
//
// A tree can also start from its right edge alone (FromEdge): the hashes it needs to
// append and to compute its root, with every older hash fetched from a Source when asked
// for (a log's stored hash tiles), so that opening a log of a million leaves to append
// to it reads a few tiles, not the whole log.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "base/status.h"
#include "ledger/merkle_hash.h"

namespace izde::ledger {

class MerkleTree {
 public:
  // The hash of the complete subtree at (level, index), for the hashes a tree made by
  // FromEdge does not hold.
  using Source = std::function<Result<Hash>(std::size_t level, std::uint64_t index)>;
  struct HeldLevel {
    std::uint64_t first = 0;   // index of the first hash held at this level
    std::vector<Hash> hashes;  // from `first` to the last complete subtree of the level
  };
  // A tree of `size` leaves holding, per level (0 = leaves), the hashes from `first` on;
  // every level whose count of complete subtrees (size >> level) is odd must hold its last
  // one (the right edge). Fails when the levels do not fit `size`.
  static Result<MerkleTree> FromEdge(std::uint64_t size, std::vector<HeldLevel> levels,
                                     Source source);

  // Appends a leaf hash (already HashLeaf()ed) and returns its index.
  std::uint64_t Append(const Hash& leaf_hash);

  std::uint64_t Size() const { return LevelSize(0); }
  // Root of the current tree (from the right edge, always held), or of the first
  // tree_size leaves.
  Hash Root() const;
  Result<Hash> RootAt(std::uint64_t tree_size) const;

  Result<Hash> LeafHash(std::uint64_t index) const;

  // RFC 9162 §2.1.3.1 PATH(index, D[0:tree_size]).
  Result<std::vector<Hash>> InclusionProof(std::uint64_t index, std::uint64_t tree_size) const;
  // RFC 9162 §2.1.4.1 PROOF(old_size, D[0:new_size]); 0 < old_size <= new_size.
  Result<std::vector<Hash>> ConsistencyProof(std::uint64_t old_size, std::uint64_t new_size) const;

  // The hash of the complete subtree `index` at `level` (level 0: leaves), for tile
  // writers and readers; held in memory, or fetched from the Source.
  Result<Hash> Node(std::size_t level, std::uint64_t index) const;
  // How many complete subtrees `level` has, and how many levels have any.
  std::uint64_t LevelSize(std::size_t level) const {
    return level < levels_.size() ? first_[level] + levels_[level].size() : 0;
  }
  std::size_t LevelCount() const { return levels_.size(); }
  // The first index of `level` held in memory (0 unless made by FromEdge).
  std::uint64_t FirstHeld(std::size_t level) const {
    return level < first_.size() ? first_[level] : 0;
  }

  void Reserve(std::uint64_t leaves);

 private:
  // MTH(D[begin:end]) where begin is a multiple of the split point of the range.
  Result<Hash> RangeHash(std::uint64_t begin, std::uint64_t end) const;
  Status Path(std::uint64_t index, std::uint64_t begin, std::uint64_t end,
              std::vector<Hash>& out) const;
  Status SubProof(std::uint64_t m, std::uint64_t begin, std::uint64_t end, bool whole,
                  std::vector<Hash>& out) const;

  std::vector<std::vector<Hash>> levels_;
  std::vector<std::uint64_t> first_;  // per level: the index of levels_[level][0]
  Source source_;
};

}  // namespace izde::ledger
