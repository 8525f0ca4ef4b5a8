// SHA-256 for the ledger, on OpenSSL's EVP interface (hardware-accelerated where the
// CPU has SHA extensions). Every hash in the log, the leaves and the commitments is
// SHA-256; see docs/formats/ledger.md.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace izde::ledger {

inline constexpr std::size_t kHashSize = 32;
using Hash = std::array<std::uint8_t, kHashSize>;

using Bytes = std::span<const std::uint8_t>;

inline Bytes AsBytes(std::string_view s) {
  return Bytes(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
}

// Incremental SHA-256. One instance reuses its OpenSSL context across Reset()s, which is
// what makes hashing millions of 33- and 65-byte Merkle inputs cheap.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  Sha256& Update(Bytes data);
  Sha256& Update(std::string_view data) { return Update(AsBytes(data)); }
  Sha256& UpdateByte(std::uint8_t b) { return Update(Bytes(&b, 1)); }
  // Writes the digest and resets the state for the next message.
  Hash Finish();

 private:
  void* ctx_;  // EVP_MD_CTX, kept opaque so callers need no OpenSSL headers.
};

// One-shot digests. They use a per-thread Sha256, so they are safe from any thread.
Hash Sha256Of(Bytes data);
Hash Sha256Of(std::string_view data);
// SHA-256 of the concatenation of parts, without building the concatenation.
Hash Sha256OfParts(std::initializer_list<Bytes> parts);

std::string HexOf(Bytes data);
inline std::string HexOf(const Hash& h) { return HexOf(Bytes(h)); }

}  // namespace izde::ledger
