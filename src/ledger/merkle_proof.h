// Verifiers for RFC 9162 inclusion (§2.1.3.2) and consistency (§2.1.4.2) proofs. They
// need nothing but the proof, the sizes and the hashes: this is what a third party runs.
#pragma once

#include <cstdint>
#include <span>

#include "base/status.h"
#include "ledger/merkle_hash.h"

namespace izde::ledger {

// The root that the inclusion proof implies, or an error if its shape is wrong for
// (index, tree_size).
Result<Hash> RootFromInclusionProof(std::uint64_t index, std::uint64_t tree_size,
                                    const Hash& leaf_hash, std::span<const Hash> proof);

Status VerifyInclusion(std::uint64_t index, std::uint64_t tree_size, const Hash& leaf_hash,
                       std::span<const Hash> proof, const Hash& root);

// Sizes equal: the proof must be empty and the roots equal. old_size == 0 is rejected:
// an empty tree is trivially a prefix, and accepting it would let a caller skip the
// check by accident.
Status VerifyConsistency(std::uint64_t old_size, std::uint64_t new_size, const Hash& old_root,
                         const Hash& new_root, std::span<const Hash> proof);

}  // namespace izde::ledger
