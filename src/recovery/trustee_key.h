// A trustee's key pair: X25519 for libsodium sealed boxes (crypto_box_seal). A trustee
// (a partner abroad who holds one recovery share) makes it once with
// `izde keys trustee-keygen` and gives the public file to the coordinator; the secret
// file stays with the trustee, sealed under the trustee's own passphrase
// (docs/formats/key-shares.md).
//
//   NAME.pub  "izde-trustee-public 1\n" "name <name>\n" "key <base64 public key>\n"
//   NAME.key  "izde-trustee-secret 1\n" "name <name>\n" "key <base64 public key>\n"
//             "kdf <opslimit> <memlimit> <base64 salt>\n" "sealed <base64 box>\n"
//   box = XChaCha20-Poly1305 of the 32-byte secret key under Argon2id(passphrase), with
//         associated data "izde/trustee/v1" 0x00 name 0x00 public key.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "base/status.h"
#include "vault/key_slot.h"
#include "vault/secret_key.h"

namespace izde::recovery {

using PublicKey = std::array<uint8_t, 32>;

struct TrusteePublic {
  std::string name;
  PublicKey key{};
  std::string Encode() const;
  // `what` names the file in errors.
  static Result<TrusteePublic> Parse(std::string_view text, const std::string& what);
};

struct TrusteeFiles {
  std::string public_text, secret_text;
};

// A new key pair; the secret file is sealed under `passphrase` (at least 8 characters).
Result<TrusteeFiles> GenerateTrustee(const std::string& name, std::string_view passphrase,
                                     vault::KdfCost cost);

struct TrusteeSecret {
  TrusteePublic pub;
  vault::SecretKey secret;
};
// kPermissionDenied "wrong passphrase for trustee key 'x'" when it does not open.
Result<TrusteeSecret> OpenTrusteeSecret(std::string_view text, std::string_view passphrase,
                                        const std::string& what);

// Trustee names: as record ids (Latin letters, digits, . _ -), so that they can be file
// names and appear in messages without escaping.
Status CheckTrusteeName(const std::string& name);

}  // namespace izde::recovery
