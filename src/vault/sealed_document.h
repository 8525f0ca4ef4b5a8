// A record version as it rests in the store: a fresh data key wrapped by the
// tier's key, and each top-level field of the document sealed on its own with
// associated data binding record id, type, version and field name, so that a
// ciphertext moved to another record, version or field fails to open.
//
// Byte layout (details in docs/formats/vault.md):
//   sealed      = "IZF1" u32le(field count) { u16le(name length) name
//                                             u32le(box length) box }*
//   box         = nonce(24) ciphertext tag(16)         (XChaCha20-Poly1305)
//   field AD    = "izde/field/v1" 0 id 0 type 0 u64le(version) 0 field-name
//   wrapped key = box of the 32-byte data key, AD "izde/key/v1" 0 id 0 type 0
//                 u64le(version) 0 tier
#pragma once

#include <string>

#include "model/record.h"
#include "store/store.h"
#include "vault/field_cipher.h"

namespace izde::vault {

// The author is sealed with the document (in the pseudo-field "_meta"): who
// documented what is itself sensitive.
struct OpenedVersion {
  model::Record record;
  int64_t version = 0;
  int64_t created_at = 0;
  std::string author;
};

store::StoredVersion SealDocument(const FieldCipher& cipher, const SecretKey& tier_key,
                                  const std::string& tier, const model::Record& record,
                                  int64_t version, int64_t created_at, const std::string& author);

Result<OpenedVersion> OpenDocument(const FieldCipher& cipher, const SecretKey& tier_key,
                                   const store::StoredVersion& stored);

}  // namespace izde::vault
