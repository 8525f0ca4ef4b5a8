// RFC 9162 §2.1.1 Merkle tree hashing with SHA-256:
//   empty tree = SHA-256()
//   leaf       = SHA-256(0x00 || leaf data)
//   node       = SHA-256(0x01 || left || right)
// The domain-separation bytes keep a leaf from ever being read as an inner node.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "base/status.h"
#include "ledger/sha256.h"

namespace izde::ledger {

Hash EmptyTreeHash();
Hash HashLeaf(Bytes leaf_data);
Hash HashChildren(const Hash& left, const Hash& right);

// A hash read from outside (a file, a proof, a checkpoint): it must be exactly 32 bytes.
Result<Hash> HashFromBytes(std::span<const std::uint8_t> bytes, const char* what);

// Largest power of two strictly smaller than n (n >= 2): the RFC 9162 split point.
std::uint64_t SplitPoint(std::uint64_t n);

}  // namespace izde::ledger
