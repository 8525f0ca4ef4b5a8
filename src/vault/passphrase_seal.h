// Files sealed with a passphrase alone, for what izde keeps outside a vault
// between runs: `izde dedupe --state` keeps the linker's state, which holds name
// keys and so never reaches a disk in the clear. Argon2id stretches the passphrase
// with the file's own random salt (the cost is in the header); the content is
// sealed with libsodium's secretstream (XChaCha20-Poly1305) in 1 MiB chunks, the
// last one tagged final, so truncation and tampering are told apart from a wrong
// passphrase only as far as cryptography allows: both are "cannot open".
//
// Layout (docs/formats/link-state.md): "IZPSEAL1" salt(16) u64le opslimit
// u64le memlimit stream-header(24) { u32le(chunk length) chunk }*
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "vault/key_slot.h"

namespace izde::vault {

// Writes `bytes` sealed to `target`: a temporary file beside it, fsynced, then
// renamed, so a failure leaves the old file or the new one, never half of one.
Status SealWithPassphrase(std::string_view bytes, const std::string& target,
                          std::string_view passphrase, KdfCost cost);

// Reads back what SealWithPassphrase wrote. kPermissionDenied when the file is
// sealed but does not open with this passphrase (or was altered); kCorrupt when it
// is not such a file at all or is cut short.
Result<std::string> OpenWithPassphrase(const std::string& path, std::string_view passphrase);

}  // namespace izde::vault
