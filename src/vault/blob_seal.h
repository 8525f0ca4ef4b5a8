// Evidence files (video, audio, photos, scans) sealed with libsodium's
// secretstream (XChaCha20-Poly1305) in 64 KiB chunks. The last chunk carries
// TAG_FINAL; a reader that reaches the end of the file without it reports the
// file as truncated instead of returning a silently shortened video.
//
// Layout: "IZB1" header(24) { u32le(chunk length) chunk }*  (vault.md)
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "vault/secret_key.h"

namespace izde::vault {

struct SealedBlobInfo {
  std::string sha256_hex;  // of the original bytes
  uint64_t size = 0;       // of the original bytes
};

// Reads `source` and writes the sealed file to `target` (fsynced). `source`
// name appears in errors; the file's bytes never reach any other file.
Result<SealedBlobInfo> SealFile(const std::string& source, const std::string& target,
                                const SecretKey& key);

// Streams the opened bytes to `sink`. Fails with kCorrupt, naming the blob, on
// tampering, truncation or bytes after the final chunk. The caller must not
// trust bytes passed to `sink` until this returns Ok.
Status OpenFile(const std::string& path, const SecretKey& key,
                const std::function<Status(std::string_view)>& sink);

// Seals bytes held in memory (the search index image) to `target`: written
// to a temporary name beside it, fsynced, then renamed, so a crash leaves the
// old file or the new one, never half of one.
Status SealBytes(std::string_view bytes, const std::string& target, const SecretKey& key);
// Reads back what SealBytes wrote; the same failures as OpenFile.
Result<std::string> OpenBytes(const std::string& path, const SecretKey& key);

}  // namespace izde::vault
