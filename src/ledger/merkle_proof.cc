#include "ledger/merkle_proof.h"

#include <bit>
#include <string>

namespace izde::ledger {
namespace {

std::string N(std::uint64_t v) { return std::to_string(v); }

}  // namespace

Result<Hash> RootFromInclusionProof(std::uint64_t index, std::uint64_t tree_size,
                                    const Hash& leaf_hash, std::span<const Hash> proof) {
  if (index >= tree_size) {
    return Status::Corrupt("inclusion proof: leaf index " + N(index) + " is outside a tree of " +
                           N(tree_size) + " leaves");
  }
  std::uint64_t fn = index;
  std::uint64_t sn = tree_size - 1;
  Hash r = leaf_hash;
  for (const Hash& p : proof) {
    if (sn == 0) {
      return Status::Corrupt("inclusion proof has " + N(proof.size()) +
                             " hashes, more than a tree of " + N(tree_size) + " leaves needs");
    }
    if ((fn & 1) == 1 || fn == sn) {
      r = HashChildren(p, r);
      if ((fn & 1) == 0) {
        do {
          fn >>= 1;
          sn >>= 1;
        } while ((fn & 1) == 0 && fn != 0);
      }
    } else {
      r = HashChildren(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) {
    return Status::Corrupt("inclusion proof has " + N(proof.size()) + " hashes, fewer than leaf " +
                           N(index) + " in a tree of " + N(tree_size) + " leaves needs");
  }
  return r;
}

Status VerifyInclusion(std::uint64_t index, std::uint64_t tree_size, const Hash& leaf_hash,
                       std::span<const Hash> proof, const Hash& root) {
  IZDE_ASSIGN_OR_RETURN(Hash computed, RootFromInclusionProof(index, tree_size, leaf_hash, proof));
  if (computed != root) {
    return Status::Corrupt("inclusion proof for leaf " + N(index) + " leads to root " +
                           HexOf(computed) + ", not the checkpoint's root " + HexOf(root));
  }
  return Status::Ok();
}

Status VerifyConsistency(std::uint64_t old_size, std::uint64_t new_size, const Hash& old_root,
                         const Hash& new_root, std::span<const Hash> proof) {
  if (old_size > new_size) {
    return Status::Corrupt("consistency: the newer tree (" + N(new_size) +
                           " leaves) is smaller than the older one (" + N(old_size) +
                           "): the log was rolled back");
  }
  if (old_size == new_size) {
    if (!proof.empty()) {
      return Status::Corrupt("consistency: equal sizes need an empty proof, got " +
                             N(proof.size()) + " hashes");
    }
    if (old_root != new_root) {
      return Status::Corrupt("consistency: two trees of " + N(old_size) +
                             " leaves have different roots: the log forked");
    }
    return Status::Ok();
  }
  if (old_size == 0) {
    return Status::Corrupt("consistency: no proof exists from an empty tree");
  }
  if (proof.empty()) return Status::Corrupt("consistency: the proof is empty");

  std::size_t i = 0;
  Hash fr, sr;
  if (std::has_single_bit(old_size)) {
    // The old tree is a complete subtree: its root is the implicit first proof element.
    fr = old_root;
    sr = old_root;
  } else {
    fr = proof[0];
    sr = proof[0];
    i = 1;
  }
  std::uint64_t fn = old_size - 1;
  std::uint64_t sn = new_size - 1;
  while ((fn & 1) == 1) {
    fn >>= 1;
    sn >>= 1;
  }
  for (; i < proof.size(); ++i) {
    const Hash& c = proof[i];
    if (sn == 0) {
      return Status::Corrupt("consistency proof from " + N(old_size) + " to " + N(new_size) +
                             " has too many hashes (" + N(proof.size()) + ")");
    }
    if ((fn & 1) == 1 || fn == sn) {
      fr = HashChildren(c, fr);
      sr = HashChildren(c, sr);
      if ((fn & 1) == 0) {
        do {
          fn >>= 1;
          sn >>= 1;
        } while ((fn & 1) == 0 && fn != 0);
      }
    } else {
      sr = HashChildren(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) {
    return Status::Corrupt("consistency proof from " + N(old_size) + " to " + N(new_size) +
                           " has too few hashes (" + N(proof.size()) + ")");
  }
  if (fr != old_root) {
    return Status::Corrupt("consistency proof does not lead to the old root of size " +
                           N(old_size) + ": the log's history was changed");
  }
  if (sr != new_root) {
    return Status::Corrupt("consistency proof does not lead to the new root of size " +
                           N(new_size));
  }
  return Status::Ok();
}

}  // namespace izde::ledger
