// An append-only RFC 9162 Merkle tree held in memory: for every level it keeps the
// hashes of the complete subtrees, so the root of any earlier size and any inclusion or
// consistency proof cost O(log n) hash lookups plus at most O(log n) hashes along the
// right edge. Memory: about 64 bytes per leaf. Level 0 is the leaf hashes; level k
// holds the hashes of the aligned 2^k-leaf subtrees (the same hashes tlog tiles store).
#pragma once

#include <cstdint>
#include <vector>

#include "base/status.h"
#include "ledger/merkle_hash.h"

namespace izde::ledger {

class MerkleTree {
 public:
  // Appends a leaf hash (already HashLeaf()ed) and returns its index.
  std::uint64_t Append(const Hash& leaf_hash);

  std::uint64_t Size() const { return levels_.empty() ? 0 : levels_[0].size(); }
  // Root of the current tree, or of the first tree_size leaves.
  Hash Root() const { return RangeHash(0, Size()); }
  Result<Hash> RootAt(std::uint64_t tree_size) const;

  Result<Hash> LeafHash(std::uint64_t index) const;

  // RFC 9162 §2.1.3.1 PATH(index, D[0:tree_size]).
  Result<std::vector<Hash>> InclusionProof(std::uint64_t index, std::uint64_t tree_size) const;
  // RFC 9162 §2.1.4.1 PROOF(old_size, D[0:new_size]); 0 < old_size <= new_size.
  Result<std::vector<Hash>> ConsistencyProof(std::uint64_t old_size, std::uint64_t new_size) const;

  // Hashes of complete subtrees at one level (level 0: leaves), for tile writers.
  const std::vector<Hash>& Level(std::size_t level) const { return levels_[level]; }
  std::size_t LevelCount() const { return levels_.size(); }

  void Reserve(std::uint64_t leaves);

 private:
  // MTH(D[begin:end]) where begin is a multiple of the split point of the range.
  Hash RangeHash(std::uint64_t begin, std::uint64_t end) const;
  void Path(std::uint64_t index, std::uint64_t begin, std::uint64_t end,
            std::vector<Hash>& out) const;
  void SubProof(std::uint64_t m, std::uint64_t begin, std::uint64_t end, bool whole,
                std::vector<Hash>& out) const;

  std::vector<std::vector<Hash>> levels_;
};

}  // namespace izde::ledger
