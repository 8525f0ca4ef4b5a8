#include "vault/blob_seal.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "vault/sealed_stream.h"

namespace izde::vault {
namespace {

constexpr size_t kChunk = 64 * 1024;
constexpr char kMagic[4] = {'I', 'Z', 'B', '1'};
constexpr size_t kAbytes = crypto_secretstream_xchacha20poly1305_ABYTES;

std::string Hex(const uint8_t* p, size_t n) {
  static const char* d = "0123456789abcdef";
  std::string s;
  for (size_t i = 0; i < n; ++i) s += d[p[i] >> 4], s += d[p[i] & 15];
  return s;
}

}  // namespace

Result<SealedBlobInfo> SealFile(const std::string& source, const std::string& target,
                                const SecretKey& key) {
  Fd in(::open(source.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0) return Status::Io("cannot read " + source + ": " + std::strerror(errno));
  Fd out(::open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (out.get() < 0) return Status::Io("cannot create " + target + ": " + std::strerror(errno));

  crypto_secretstream_xchacha20poly1305_state st;
  uint8_t header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
  crypto_secretstream_xchacha20poly1305_init_push(&st, header, key.data());
  if (!WriteAll(out.get(), reinterpret_cast<const uint8_t*>(kMagic), 4) ||
      !WriteAll(out.get(), header, sizeof header))
    return Status::Io("cannot write " + target + ": " + std::strerror(errno));

  crypto_hash_sha256_state hash;
  crypto_hash_sha256_init(&hash);
  // Plain chunks live in locked memory so file content is never swapped out.
  auto* plain = static_cast<uint8_t*>(sodium_malloc(kChunk));
  std::vector<uint8_t> sealed(kChunk + kAbytes + 4);
  SealedBlobInfo info;
  Status status;
  // Read one chunk ahead so the last chunk can carry TAG_FINAL.
  ssize_t n = ReadFull(in.get(), plain, kChunk);
  while (status.ok()) {
    if (n < 0) {
      status = Status::Io("cannot read " + source + ": " + std::strerror(errno));
      break;
    }
    crypto_hash_sha256_update(&hash, plain, static_cast<size_t>(n));
    info.size += static_cast<uint64_t>(n);
    bool last = static_cast<size_t>(n) < kChunk;
    unsigned long long clen = 0;
    crypto_secretstream_xchacha20poly1305_push(
        &st, sealed.data() + 4, &clen, plain, static_cast<size_t>(n), nullptr, 0,
        last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
    for (int i = 0; i < 4; ++i) sealed[i] = (clen >> (8 * i)) & 0xff;
    if (!WriteAll(out.get(), sealed.data(), 4 + clen)) {
      status = Status::Io("cannot write " + target + ": " + std::strerror(errno));
      break;
    }
    if (last) break;
    // A file whose size is a multiple of the chunk size ends with an empty final chunk.
    n = ReadFull(in.get(), plain, kChunk);
  }
  sodium_free(plain);
  if (status.ok() && ::fsync(out.get()) != 0)
    status = Status::Io("cannot flush " + target + ": " + std::strerror(errno));
  if (!status.ok()) {
    ::unlink(target.c_str());
    return status;
  }
  uint8_t digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&hash, digest);
  info.sha256_hex = Hex(digest, sizeof digest);
  return info;
}

Result<std::unique_ptr<BlobWriter>> BlobWriter::Create(const std::string& target,
                                                       const SecretKey& key) {
  std::unique_ptr<BlobWriter> w(new BlobWriter());
  w->target_ = target;
  w->fd_ = ::open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (w->fd_ < 0) return Status::Io("cannot create " + target + ": " + std::strerror(errno));
  uint8_t header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
  crypto_secretstream_xchacha20poly1305_init_push(&w->state_, header, key.data());
  if (!WriteAll(w->fd_, reinterpret_cast<const uint8_t*>(kMagic), 4) ||
      !WriteAll(w->fd_, header, sizeof header))
    return Status::Io("cannot write " + target + ": " + std::strerror(errno));
  crypto_hash_sha256_init(&w->hash_);
  w->plain_ = static_cast<uint8_t*>(sodium_malloc(kChunk));
  if (!w->plain_) return Status::Io("cannot allocate a chunk for " + target);
  static_assert(kBuffered == kChunk);
  return w;
}

BlobWriter::~BlobWriter() {
  if (fd_ >= 0) ::close(fd_);
  if (plain_) sodium_free(plain_);
  if (!finished_ && !target_.empty()) ::unlink(target_.c_str());
}

// Seals the buffered chunk; a full chunk is never the last (a file whose size is a
// multiple of the chunk size ends with an empty final chunk, as SealFile writes it).
Status BlobWriter::Push(bool last) {
  std::vector<uint8_t> sealed(kChunk + kAbytes + 4);
  unsigned long long clen = 0;
  crypto_hash_sha256_update(&hash_, plain_, filled_);
  crypto_secretstream_xchacha20poly1305_push(
      &state_, sealed.data() + 4, &clen, plain_, filled_, nullptr, 0,
      last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
  for (int i = 0; i < 4; ++i) sealed[i] = (clen >> (8 * i)) & 0xff;
  sodium_memzero(plain_, filled_);
  filled_ = 0;
  if (!WriteAll(fd_, sealed.data(), 4 + clen))
    return Status::Io("cannot write " + target_ + ": " + std::strerror(errno));
  return Status::Ok();
}

Status BlobWriter::Append(std::string_view bytes) {
  if (!failed_.ok()) return failed_;
  if (finished_ || fd_ < 0) return Status::InvalidInput("the sealed file is already finished");
  while (!bytes.empty()) {
    const size_t n = std::min(bytes.size(), kChunk - filled_);
    std::memcpy(plain_ + filled_, bytes.data(), n);
    filled_ += n;
    size_ += n;
    bytes.remove_prefix(n);
    if (filled_ == kChunk) {
      failed_ = Push(false);
      if (!failed_.ok()) return failed_;
    }
  }
  return Status::Ok();
}

Result<SealedBlobInfo> BlobWriter::Finish() {
  if (!failed_.ok()) return failed_;
  if (finished_ || fd_ < 0) return Status::InvalidInput("the sealed file is already finished");
  IZDE_RETURN_IF_ERROR(Push(true));
  if (::fsync(fd_) != 0) return Status::Io("cannot flush " + target_ + ": " + std::strerror(errno));
  ::close(fd_);
  fd_ = -1;
  finished_ = true;
  SealedBlobInfo info;
  info.size = size_;
  uint8_t digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&hash_, digest);
  info.sha256_hex = Hex(digest, sizeof digest);
  return info;
}

Status OpenFile(const std::string& path, const SecretKey& key,
                const std::function<Status(std::string_view)>& sink) {
  Fd in(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0)
    return Status::Io("cannot read evidence file " + path + ": " + std::strerror(errno));
  uint8_t magic[4];
  uint8_t header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
  if (ReadFull(in.get(), magic, 4) != 4 || std::memcmp(magic, kMagic, 4) != 0 ||
      ReadFull(in.get(), header, sizeof header) != static_cast<ssize_t>(sizeof header))
    return Status::Corrupt("evidence file " + path + " is not a sealed izde file");
  crypto_secretstream_xchacha20poly1305_state st;
  if (crypto_secretstream_xchacha20poly1305_init_pull(&st, header, key.data()) != 0)
    return Status::Corrupt("evidence file " + path + " has a damaged header");
  std::vector<uint8_t> sealed(kChunk + kAbytes);
  auto* plain = static_cast<uint8_t*>(sodium_malloc(kChunk));
  Status status;
  bool final_seen = false;
  for (size_t chunk = 0; status.ok(); ++chunk) {
    uint8_t lenb[4];
    ssize_t r = ReadFull(in.get(), lenb, 4);
    if (r == 0) break;
    if (final_seen) {
      status = Status::Corrupt("evidence file " + path + " has bytes after its final chunk");
      break;
    }
    uint32_t len = lenb[0] | lenb[1] << 8 | lenb[2] << 16 | static_cast<uint32_t>(lenb[3]) << 24;
    if (r != 4 || len < kAbytes || len > sealed.size() ||
        ReadFull(in.get(), sealed.data(), len) != static_cast<ssize_t>(len)) {
      status = Status::Corrupt("evidence file " + path + " is truncated in chunk " +
                               std::to_string(chunk));
      break;
    }
    unsigned long long mlen = 0;
    unsigned char tag = 0;
    if (crypto_secretstream_xchacha20poly1305_pull(&st, plain, &mlen, &tag, sealed.data(), len,
                                                   nullptr, 0) != 0) {
      status = Status::Corrupt("evidence file " + path + " was altered (chunk " +
                               std::to_string(chunk) + " fails authentication)");
      break;
    }
    final_seen = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
    status = sink(std::string_view(reinterpret_cast<const char*>(plain), mlen));
  }
  sodium_free(plain);
  if (status.ok() && !final_seen)
    status = Status::Corrupt("evidence file " + path + " is truncated: its final chunk is missing");
  return status;
}

Status SealBytes(std::string_view bytes, const std::string& target, const SecretKey& key) {
  uint8_t prefix[4 + crypto_secretstream_xchacha20poly1305_HEADERBYTES];
  std::memcpy(prefix, kMagic, 4);
  crypto_secretstream_xchacha20poly1305_state st;
  crypto_secretstream_xchacha20poly1305_init_push(&st, prefix + 4, key.data());
  return WriteSealedStream(target, target + ".tmp", std::span(prefix, sizeof prefix), st, bytes,
                           kChunk, {});
}

Result<std::string> OpenBytes(const std::string& path, const SecretKey& key) {
  std::string out;
  Status st = OpenFile(path, key, [&](std::string_view chunk) {
    out.append(chunk);
    return Status::Ok();
  });
  if (!st.ok()) {
    sodium_memzero(out.data(), out.size());
    return st;
  }
  return out;
}

}  // namespace izde::vault
