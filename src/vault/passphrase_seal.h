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
// A file may grow after it is written: AppendSealed adds a segment ("IZPSEGM1"
// stream-header(24) { u32le(chunk length) chunk }*) sealed with the same key, each of
// its chunks bound to the header and to a hash chained over every segment before it,
// so that a segment reordered, dropped from the middle, cut or taken from another
// file does not open.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "vault/key_slot.h"
#include "vault/secret_key.h"

namespace izde::vault {

// Writes `bytes` sealed to `target`: a temporary file beside it, fsynced, then
// renamed, so a failure leaves the old file or the new one, never half of one.
Status SealWithPassphrase(std::string_view bytes, const std::string& target,
                          std::string_view passphrase, KdfCost cost);

// Reads back what SealWithPassphrase wrote. kPermissionDenied when the file is
// sealed but does not open with this passphrase (or was altered); kCorrupt when it
// is not such a file at all or is cut short.
// A file that has segments appended is refused here ("has bytes after its end").
Result<std::string> OpenWithPassphrase(const std::string& path, std::string_view passphrase);

// A sealed file read with its appended segments, and what appending another needs.
// The caller wipes the segments when done (they are the clear bytes).
struct SealedSegments {
  std::string path;
  std::vector<std::string> segments;   // the base (SealWithPassphrase's bytes), then each appended
  std::vector<uint64_t> sealed_sizes;  // bytes each segment takes in the file
  SecretKey key;
  std::array<uint8_t, 64> header{};  // the base's header, bound to every segment
  std::array<uint8_t, 32> chain{};   // hash over the segments so far
  uint64_t length = 0;               // bytes of the file read
  uint64_t device = 0, inode = 0;    // which file was read (a file renamed over it is not)
  // Bytes after the last whole part that end before a part does: an append that
  // stopped midway (the process killed, the machine off). Left out of `segments`;
  // the next append writes over them.
  uint64_t unfinished = 0;
};

// Reads a sealed file and every segment appended to it. Errors as OpenWithPassphrase;
// a segment that does not follow what precedes it is kCorrupt naming its number. A
// last segment that the file ends inside of (an append cut off by a crash) is not an
// error: it is left out and counted in `unfinished`, and the file reads as it was
// before that append. (Leaving out whole segments at the end cannot be detected
// anyway: the file then equals an older copy of itself.) A segment whose bytes are
// all there but do not open is still kCorrupt.
Result<SealedSegments> OpenSegmentsWithPassphrase(const std::string& path,
                                                  std::string_view passphrase);

// Appends `bytes` as one more segment of `file` (as read by OpenSegmentsWithPassphrase,
// or appended to since) and flushes it to disk. The file must not have changed since
// (kLocked otherwise: another run appended to it); on a failure it is cut back to what it was.
Status AppendSealed(SealedSegments& file, std::string_view bytes);

}  // namespace izde::vault
