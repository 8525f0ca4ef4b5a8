#include "vault/passphrase_seal.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "vault/sealed_stream.h"
#include "vault/secret_key.h"

namespace izde::vault {
namespace {

constexpr char kMagic[8] = {'I', 'Z', 'P', 'S', 'E', 'A', 'L', '1'};
constexpr size_t kChunk = 1 << 20;
constexpr size_t kAbytes = crypto_secretstream_xchacha20poly1305_ABYTES;
constexpr size_t kStreamHeader = crypto_secretstream_xchacha20poly1305_HEADERBYTES;
constexpr size_t kSalt = crypto_pwhash_SALTBYTES;
constexpr size_t kHeader = sizeof kMagic + kSalt + 8 + 8 + kStreamHeader;

void Put64(uint8_t* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
uint64_t Get64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= uint64_t{p[i]} << (8 * i);
  return v;
}

void Limits(KdfCost cost, uint64_t& ops, uint64_t& mem) {
  switch (cost) {
    case KdfCost::kTestOnlyMinimum:
      ops = crypto_pwhash_OPSLIMIT_MIN;
      mem = crypto_pwhash_MEMLIMIT_MIN;
      return;
    case KdfCost::kModerate:
      ops = crypto_pwhash_OPSLIMIT_MODERATE;
      mem = crypto_pwhash_MEMLIMIT_MODERATE;
      return;
    case KdfCost::kSensitive:
      ops = crypto_pwhash_OPSLIMIT_SENSITIVE;
      mem = crypto_pwhash_MEMLIMIT_SENSITIVE;
      return;
    case KdfCost::kInteractive:
      ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
      mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
      return;
  }
}

bool Derive(std::string_view passphrase, const uint8_t* salt, uint64_t ops, uint64_t mem,
            SecretKey& key) {
  return crypto_pwhash(key.data(), SecretKey::kSize, passphrase.data(), passphrase.size(), salt,
                       ops, static_cast<size_t>(mem), crypto_pwhash_ALG_ARGON2ID13) == 0;
}

}  // namespace

Status SealWithPassphrase(std::string_view bytes, const std::string& target,
                          std::string_view passphrase, KdfCost cost) {
  if (passphrase.empty()) return Status::InvalidInput("an empty passphrase cannot seal " + target);
  uint8_t header[kHeader];
  std::memcpy(header, kMagic, sizeof kMagic);
  uint8_t* salt = header + sizeof kMagic;
  randombytes_buf(salt, kSalt);
  uint64_t ops = 0, mem = 0;
  Limits(cost, ops, mem);
  Put64(salt + kSalt, ops);
  Put64(salt + kSalt + 8, mem);
  SecretKey key;
  if (!Derive(passphrase, salt, ops, mem, key))
    return Status::Io("not enough memory to stretch the passphrase for " + target);
  crypto_secretstream_xchacha20poly1305_state st;
  crypto_secretstream_xchacha20poly1305_init_push(&st, salt + kSalt + 16, key.data());

  // The whole header is bound to every chunk: a changed cost or salt fails to open.
  return WriteSealedStream(target, target + ".tmp-" + std::to_string(::getpid()),
                           std::span(header, sizeof header), st, bytes, kChunk,
                           std::span(header, sizeof header));
}

namespace {

constexpr char kSegmentMagic[8] = {'I', 'Z', 'P', 'S', 'E', 'G', 'M', '1'};
constexpr size_t kSegmentHeader = sizeof kSegmentMagic + kStreamHeader;
static_assert(kHeader == 64, "SealedSegments::header");

// The chain after a segment: BLAKE2b-256 over the chain before it (or, for the base,
// the base's header), the segment's own header (none for the base) and its final
// sealed chunk, whose tag depends on every chunk of the segment before it.
void Chain(const uint8_t* before, size_t before_len, const uint8_t* segment_header,
           size_t segment_header_len, const uint8_t* last_chunk, size_t last_len, uint8_t* out) {
  crypto_generichash_state h;
  crypto_generichash_init(&h, nullptr, 0, 32);
  crypto_generichash_update(&h, before, before_len);
  if (segment_header_len) crypto_generichash_update(&h, segment_header, segment_header_len);
  crypto_generichash_update(&h, last_chunk, last_len);
  crypto_generichash_final(&h, out, 32);
}

// Reads one secretstream of "u32le(length) chunk" records, up to and including the
// chunk tagged final, appending the clear bytes to `out`. `last` keeps the final
// sealed chunk. `name` says which part of the file it is, for errors; a first chunk
// that does not open is `first_fails`.
Status ReadStream(int fd, const std::string& path, crypto_secretstream_xchacha20poly1305_state& st,
                  const uint8_t* ad, size_t ad_len, std::string& out, std::vector<uint8_t>& last,
                  uint64_t& consumed, const std::string& name, Status first_fails,
                  bool* cut_short = nullptr) {
  last.resize(kChunk + kAbytes);
  bool first = true;
  for (;;) {
    uint8_t len[4];
    const ssize_t l = ReadFull(fd, len, 4);
    if (l < 0) return Status::Io("cannot read " + path + ": " + std::strerror(errno));
    if (cut_short) *cut_short = l != 4;
    if (l != 4) return Status::Corrupt(path + " is cut short" + name);
    const size_t clen =
        size_t{len[0]} | size_t{len[1]} << 8 | size_t{len[2]} << 16 | size_t{len[3]} << 24;
    if (clen < kAbytes || clen > kChunk + kAbytes)
      return Status::Corrupt(path + " is damaged (a chunk of impossible length" + name + ")");
    const ssize_t c = ReadFull(fd, last.data(), clen);
    if (c < 0) return Status::Io("cannot read " + path + ": " + std::strerror(errno));
    if (cut_short) *cut_short = static_cast<size_t>(c) != clen;
    if (static_cast<size_t>(c) != clen) return Status::Corrupt(path + " is cut short" + name);
    consumed += 4 + clen;
    unsigned long long plen = 0;
    unsigned char tag = 0;
    // Opened straight into the result (no second copy of a state of hundreds of MiB).
    const size_t at = out.size();
    out.resize(at + clen - kAbytes);
    if (crypto_secretstream_xchacha20poly1305_pull(
            &st, reinterpret_cast<unsigned char*>(out.data() + at), &plen, &tag, last.data(), clen,
            ad, ad_len) != 0)
      return first ? first_fails : Status::Corrupt(path + " was altered or damaged" + name);
    first = false;
    out.resize(at + plen);
    if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
      last.resize(clen);
      return Status::Ok();
    }
  }
}

// Opens the base of a sealed file: its header checked, the key derived, its bytes
// read. Leaves `in` just after the base's final chunk.
Status OpenBase(int fd, const std::string& path, std::string_view passphrase, SealedSegments& f,
                std::vector<uint8_t>& last) {
  uint8_t* header = f.header.data();
  const ssize_t got = ReadFull(fd, header, kHeader);
  if (got < 0) return Status::Io("cannot read " + path + ": " + std::strerror(errno));
  if (static_cast<size_t>(got) < kHeader || std::memcmp(header, kMagic, sizeof kMagic) != 0)
    return Status::Corrupt(path + " is not a file izde sealed with a passphrase");
  const uint8_t* salt = header + sizeof kMagic;
  const uint64_t ops = Get64(salt + kSalt), mem = Get64(salt + kSalt + 8);
  // Bounds a damaged or hostile header from asking for absurd work.
  if (ops < crypto_pwhash_OPSLIMIT_MIN || ops > crypto_pwhash_OPSLIMIT_SENSITIVE ||
      mem < crypto_pwhash_MEMLIMIT_MIN || mem > crypto_pwhash_MEMLIMIT_SENSITIVE)
    return Status::Corrupt(path + " has a damaged header (passphrase cost out of range)");
  if (!Derive(passphrase, salt, ops, mem, f.key))
    return Status::Io("not enough memory to stretch the passphrase for " + path);
  crypto_secretstream_xchacha20poly1305_state st;
  if (crypto_secretstream_xchacha20poly1305_init_pull(&st, salt + kSalt + 16, f.key.data()) != 0)
    return Status::Corrupt(path + " has a damaged header");
  std::string out;
  struct stat info {};
  if (::fstat(fd, &info) == 0) {
    f.device = static_cast<uint64_t>(info.st_dev);
    f.inode = static_cast<uint64_t>(info.st_ino);
    if (info.st_size > 0) out.reserve(static_cast<size_t>(info.st_size));
  }
  uint64_t consumed = kHeader;
  Status s = ReadStream(
      fd, path, st, header, kHeader, out, last, consumed, "",
      Status::PermissionDenied("wrong passphrase for " + path + " (or the file was altered)"));
  if (!s.ok()) {
    sodium_memzero(out.data(), out.size());
    return s;
  }
  f.segments.push_back(std::move(out));
  f.sealed_sizes.push_back(consumed);
  f.length = consumed;
  Chain(header, kHeader, nullptr, 0, last.data(), last.size(), f.chain.data());
  return Status::Ok();
}

void WipeSegments(SealedSegments& f) {
  for (auto& s : f.segments) sodium_memzero(s.data(), s.size());
  f.segments.clear();
}

}  // namespace

Result<std::string> OpenWithPassphrase(const std::string& path, std::string_view passphrase) {
  Fd in(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0) return Status::NotFound("cannot open " + path + ": " + std::strerror(errno));
  SealedSegments f;
  std::vector<uint8_t> last;
  IZDE_RETURN_IF_ERROR(OpenBase(in.get(), path, passphrase, f, last));
  uint8_t more;
  const ssize_t l = ReadFull(in.get(), &more, 1);
  if (l != 0) {
    WipeSegments(f);
    if (l < 0) return Status::Io("cannot read " + path + ": " + std::strerror(errno));
    return Status::Corrupt(path + " has bytes after its end");
  }
  return std::move(f.segments.front());
}

Result<SealedSegments> OpenSegmentsWithPassphrase(const std::string& path,
                                                  std::string_view passphrase) {
  Fd in(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0) return Status::NotFound("cannot open " + path + ": " + std::strerror(errno));
  SealedSegments f;
  f.path = path;
  std::vector<uint8_t> last;
  IZDE_RETURN_IF_ERROR(OpenBase(in.get(), path, passphrase, f, last));
  for (;;) {
    uint8_t seg[kSegmentHeader];
    const ssize_t got = ReadFull(in.get(), seg, sizeof seg);
    Status s;
    const std::string name = " (in appended part " + std::to_string(f.segments.size()) + ")";
    if (got == 0) break;
    if (got < 0) {
      s = Status::Io("cannot read " + path + ": " + std::strerror(errno));
    } else if (std::memcmp(seg, kSegmentMagic, std::min<size_t>(sizeof kSegmentMagic, got)) != 0) {
      s = Status::Corrupt(path + " has bytes after its end that are not a part izde appended");
    } else if (static_cast<size_t>(got) < sizeof seg) {
      f.unfinished = static_cast<uint64_t>(got);  // the file ends inside a part's header
      break;
    } else {
      crypto_secretstream_xchacha20poly1305_state st;
      uint8_t ad[kHeader + kSegmentHeader + 32];
      std::memcpy(ad, f.header.data(), kHeader);
      std::memcpy(ad + kHeader, seg, kSegmentHeader);
      std::memcpy(ad + kHeader + kSegmentHeader, f.chain.data(), 32);
      std::string out;
      uint64_t consumed = kSegmentHeader;
      bool cut_short = false;
      if (crypto_secretstream_xchacha20poly1305_init_pull(&st, seg + sizeof kSegmentMagic,
                                                          f.key.data()) != 0)
        s = Status::Corrupt(path + " is damaged" + name);
      else
        s = ReadStream(
            in.get(), path, st, ad, sizeof ad, out, last, consumed, name,
            Status::Corrupt(path + ": appended part " + std::to_string(f.segments.size()) +
                            " does not follow what precedes it (parts reordered or "
                            "dropped, taken from another file, or altered)"),
            &cut_short);
      if (!s.ok() && cut_short) {
        // The file ends inside this part: an append that never finished. Every chunk
        // read so far opened, so it is the last part and nothing after it exists.
        sodium_memzero(out.data(), out.size());
        struct stat info {};
        if (::fstat(in.get(), &info) != 0)
          s = Status::Io("cannot read " + path + ": " + std::strerror(errno));
        else {
          f.unfinished = static_cast<uint64_t>(info.st_size) - f.length;
          break;
        }
      }
      if (s.ok()) {
        Chain(f.chain.data(), 32, seg, kSegmentHeader, last.data(), last.size(), f.chain.data());
        f.segments.push_back(std::move(out));
        f.sealed_sizes.push_back(consumed);
        f.length += consumed;
        continue;
      }
      sodium_memzero(out.data(), out.size());
    }
    WipeSegments(f);
    return s;
  }
  return f;
}

Status AppendSealed(SealedSegments& f, std::string_view bytes) {
  const std::string& path = f.path;
  Fd out(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (out.get() < 0) return Status::Io("cannot open " + path + ": " + std::strerror(errno));
  // One writer at a time; and only onto the file as it was read.
  if (::flock(out.get(), LOCK_EX) != 0)
    return Status::Io("cannot lock " + path + ": " + std::strerror(errno));
  struct stat info {};
  if (::fstat(out.get(), &info) != 0)
    return Status::Io("cannot read " + path + ": " + std::strerror(errno));
  if (static_cast<uint64_t>(info.st_size) != f.length + f.unfinished ||
      static_cast<uint64_t>(info.st_dev) != f.device ||
      static_cast<uint64_t>(info.st_ino) != f.inode)
    return Status::Locked(path +
                          " changed since this run read it (another run added to it); "
                          "nothing was written");
  std::vector<uint8_t> buf(kSegmentHeader);
  std::memcpy(buf.data(), kSegmentMagic, sizeof kSegmentMagic);
  crypto_secretstream_xchacha20poly1305_state st;
  crypto_secretstream_xchacha20poly1305_init_push(&st, buf.data() + sizeof kSegmentMagic,
                                                  f.key.data());
  uint8_t ad[kHeader + kSegmentHeader + 32];
  std::memcpy(ad, f.header.data(), kHeader);
  std::memcpy(ad + kHeader, buf.data(), kSegmentHeader);
  std::memcpy(ad + kHeader + kSegmentHeader, f.chain.data(), 32);
  size_t pos = 0, last_at = 0, last_len = 0;
  do {
    const size_t n = std::min(kChunk, bytes.size() - pos);
    const bool final = pos + n == bytes.size();
    const size_t at = buf.size();
    buf.resize(at + 4 + n + kAbytes);
    unsigned long long clen = 0;
    crypto_secretstream_xchacha20poly1305_push(
        &st, buf.data() + at + 4, &clen, reinterpret_cast<const uint8_t*>(bytes.data() + pos), n,
        ad, sizeof ad, final ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
    for (size_t i = 0; i < 4; ++i) buf[at + i] = static_cast<uint8_t>((clen >> (8 * i)) & 0xff);
    last_at = at + 4;
    last_len = clen;
    pos += n;
  } while (pos < bytes.size());
  // Written where the last whole part ends: over an unfinished append, if any, whose
  // bytes past the new part are cut off.
  const off_t end = static_cast<off_t>(f.length + buf.size());
  const bool ok = ::lseek(out.get(), static_cast<off_t>(f.length), SEEK_SET) >= 0 &&
                  WriteAll(out.get(), buf.data(), buf.size()) &&
                  (f.unfinished == 0 || ::ftruncate(out.get(), end) == 0) &&
                  ::fsync(out.get()) == 0;
  if (!ok) {
    const std::string why = std::strerror(errno);
    if (::ftruncate(out.get(), static_cast<off_t>(f.length)) == 0) (void)::fsync(out.get());
    f.unfinished = 0;
    return Status::Io("cannot add to " + path + ": " + why);
  }
  f.unfinished = 0;
  Chain(f.chain.data(), 32, buf.data(), kSegmentHeader, buf.data() + last_at, last_len,
        f.chain.data());
  f.length += buf.size();
  f.sealed_sizes.push_back(buf.size());
  return Status::Ok();
}

}  // namespace izde::vault
