#include "ledger/ed25519.h"

#include <sodium.h>

#include "ledger/secret_bytes.h"

namespace izde::ledger {

bool Ed25519Verify(const Ed25519PublicKey& key, std::span<const std::uint8_t> message,
                   std::span<const std::uint8_t> signature) {
  EnsureSodium();
  if (signature.size() != kEd25519SignatureSize) return false;
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(),
                                     key.data()) == 0;
}

}  // namespace izde::ledger
