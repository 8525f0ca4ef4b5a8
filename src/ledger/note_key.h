// Signed-note keys (C2SP signed-note v1.0.0), Ed25519 only.
//
//   verifier key:  <name>+<key id, 8 lowercase hex>+<base64(type || 32-byte public key)>
//   signer key:    PRIVATE+KEY+<name>+<key id>+<base64(type || 32-byte Ed25519 seed)>
//   key id:        first 4 bytes, big-endian, of SHA-256(name || 0x0A || type || public key)
//
// type 0x01 signs notes (the log's checkpoint key); type 0x04 makes timestamped
// tlog-cosignature/v1 cosignatures (a partner's witness key). The signer key encoding is
// the Go sumdb/note one; for type 0x04 we use the same shape with the type byte changed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "ledger/ed25519.h"
#include "ledger/secret_bytes.h"
#include "ledger/sha256.h"

namespace izde::ledger {

enum class KeyType : std::uint8_t { kEd25519 = 0x01, kCosignatureV1 = 0x04 };

// Key names must be non-empty, valid UTF-8, and contain no Unicode space and no '+'.
Status CheckKeyName(std::string_view name);

std::uint32_t KeyId(std::string_view name, KeyType type, const Ed25519PublicKey& key);

struct NoteVerifier {
  std::string name;
  std::uint32_t key_id = 0;
  KeyType type = KeyType::kEd25519;
  Ed25519PublicKey public_key{};

  static Result<NoteVerifier> Parse(std::string_view encoded);
  std::string Encode() const;
};

class NoteSigner {
 public:
  // Parses "PRIVATE+KEY+...". The caller should keep `encoded` in locked memory too.
  static Result<NoteSigner> Parse(std::string_view encoded);
  static Result<NoteSigner> Generate(std::string_view name, KeyType type = KeyType::kEd25519);
  // Deterministic, for tests and known answers: the key from a 32-byte seed.
  static Result<NoteSigner> FromSeed(std::string_view name, KeyType type,
                                     std::span<const std::uint8_t> seed);

  // The "PRIVATE+KEY+..." text, in a wiped, locked buffer (no terminating NUL).
  SecretBytes EncodePrivate() const;

  const NoteVerifier& verifier() const { return verifier_; }
  const std::string& name() const { return verifier_.name; }
  std::uint32_t key_id() const { return verifier_.key_id; }
  KeyType type() const { return verifier_.type; }

  std::array<std::uint8_t, kEd25519SignatureSize> Sign(Bytes message) const;

 private:
  NoteVerifier verifier_;
  SecretBytes secret_;  // libsodium's 64-byte secret key (seed || public key)
};

}  // namespace izde::ledger
