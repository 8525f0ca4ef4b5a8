// The one Ed25519 verify every note, checkpoint and cosignature goes through
// (libsodium's crypto_sign_verify_detached), so the Wycheproof test covers them all.
#pragma once

#include <array>
#include <cstdint>
#include <span>

namespace izde::ledger {

inline constexpr std::size_t kEd25519PublicKeySize = 32;
inline constexpr std::size_t kEd25519SeedSize = 32;
inline constexpr std::size_t kEd25519SignatureSize = 64;

using Ed25519PublicKey = std::array<std::uint8_t, kEd25519PublicKeySize>;

bool Ed25519Verify(const Ed25519PublicKey& key, std::span<const std::uint8_t> message,
                   std::span<const std::uint8_t> signature);

}  // namespace izde::ledger
