// Evidence files (video, audio, photos, scans) sealed with libsodium's
// secretstream (XChaCha20-Poly1305) in 64 KiB chunks. The last chunk carries
// TAG_FINAL; a reader that reaches the end of the file without it reports the
// file as truncated instead of returning a silently shortened video.
//
// Layout: "IZB1" header(24) { u32le(chunk length) chunk }*  (vault.md)
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
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

// Seals a file that arrives in pieces (a web upload) straight into `target`: each
// 64 KiB chunk is sealed and written as soon as it is full, so no more than one chunk
// of the file is ever in memory (in locked memory). Finish() seals the last chunk and
// fsyncs; a writer destroyed without a successful Finish() removes what it wrote.
class BlobWriter {
 public:
  static Result<std::unique_ptr<BlobWriter>> Create(const std::string& target,
                                                    const SecretKey& key);
  ~BlobWriter();
  BlobWriter(const BlobWriter&) = delete;
  BlobWriter& operator=(const BlobWriter&) = delete;

  Status Append(std::string_view bytes);
  Result<SealedBlobInfo> Finish();
  uint64_t size() const { return size_; }
  // The most plaintext held at once (a chunk): for tests that memory stays small.
  static constexpr size_t kBuffered = 64 * 1024;

 private:
  BlobWriter() = default;
  Status Push(bool last);
  std::string target_;
  int fd_ = -1;
  bool finished_ = false;
  Status failed_;
  uint8_t* plain_ = nullptr;  // sodium_malloc'd, kBuffered bytes
  size_t filled_ = 0;
  uint64_t size_ = 0;
  crypto_secretstream_xchacha20poly1305_state state_;
  crypto_hash_sha256_state hash_;
};

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
