// The vault's keys split into n shares for trustees, any k of which recover them
// (Shamir's scheme over GF(256), libgfshare), with the integrity checks libgfshare lacks
// (docs/formats/key-shares.md).
//
// The secret is the master key, followed by the witness key when it is shared too. Each
// share, opened, is a short text a trustee can send over a secure channel:
//
//   izde-key-share 1
//   vault <vault origin>
//   split <16 random bytes, hex>       one per `izde keys split`: shares of two splits never mix
//   share <x> of <n> threshold <k>
//   trustee <name>
//   witness yes|no
//   commitment <hex BLAKE2b-256("izde/recovery/v1" 0x00 split ‖ secret)>
//   data <hex share bytes>
//   check <hex BLAKE2b-256 of every line above, newlines included>
//
// Sealed for its trustee (crypto_box_seal to the trustee's X25519 key):
//
//   izde-sealed-share 1
//   vault <origin>  /  trustee <name>  /  share <x> of <n> threshold <k>   (for people)
//   sealed <base64 crypto_box_seal(opened share text)>
//
// `check` catches a damaged or edited share by itself; `commitment` catches a share that is
// well formed but wrong (from a dishonest or mistaken trustee): the combined secret must
// match it, and when it does not, the shares are tried in subsets to name the wrong one.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "ledger/secret_bytes.h"
#include "recovery/trustee_key.h"
#include "vault/key_slot.h"

namespace izde::recovery {

struct SplitRequest {
  std::string origin;  // the vault's log origin, izde.vault/<id>
  std::vector<TrusteePublic> trustees;
  unsigned threshold = 0;
  bool include_witness = true;
};

struct SealedShare {
  std::string trustee;
  unsigned x = 0;
  std::string text;  // the sealed share file
};

Result<std::vector<SealedShare>> Split(const vault::UnlockedKeys& keys, const SplitRequest& r);

// The trustee's step: opens a sealed share file with the trustee's secret key. The opened
// text is key material: whoever holds k of them holds the vault.
Result<ledger::SecretBytes> OpenShare(std::string_view sealed_text, const TrusteeSecret& trustee,
                                      const std::string& what);

struct ShareInput {
  std::string label;  // the file name, for messages
  std::string_view text;
};

struct Recovered {
  std::string origin;
  vault::UnlockedKeys keys;
  unsigned used = 0;                  // shares that agreed
  std::vector<std::string> rejected;  // each rejected share, named, and why
};

// Combines opened shares. Fails, naming every share at fault, unless at least k good
// shares of one split agree.
Result<Recovered> Combine(const std::vector<ShareInput>& shares);

}  // namespace izde::recovery
