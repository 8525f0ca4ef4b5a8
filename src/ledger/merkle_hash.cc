#include "ledger/merkle_hash.h"

#include <algorithm>
#include <bit>
#include <string>

namespace izde::ledger {

Hash EmptyTreeHash() { return Sha256Of(Bytes()); }

Hash HashLeaf(Bytes leaf_data) {
  static constexpr std::uint8_t kLeafPrefix = 0x00;
  return Sha256OfParts({Bytes(&kLeafPrefix, 1), leaf_data});
}

Hash HashChildren(const Hash& left, const Hash& right) {
  // One contiguous 65-byte buffer: a single EVP update is measurably faster than three.
  std::uint8_t buf[1 + 2 * kHashSize];
  buf[0] = 0x01;
  std::copy(left.begin(), left.end(), buf + 1);
  std::copy(right.begin(), right.end(), buf + 1 + kHashSize);
  return Sha256Of(Bytes(buf, sizeof buf));
}

Result<Hash> HashFromBytes(std::span<const std::uint8_t> bytes, const char* what) {
  if (bytes.size() != kHashSize) {
    return Status::Corrupt(std::string(what) + " is " + std::to_string(bytes.size()) +
                           " bytes long, a SHA-256 hash must be 32");
  }
  Hash h;
  std::copy(bytes.begin(), bytes.end(), h.begin());
  return h;
}

std::uint64_t SplitPoint(std::uint64_t n) { return std::bit_floor(n - 1); }

}  // namespace izde::ledger
