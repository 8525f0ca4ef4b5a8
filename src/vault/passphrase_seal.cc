#include "vault/passphrase_seal.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

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

Result<std::string> OpenWithPassphrase(const std::string& path, std::string_view passphrase) {
  Fd in(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0) return Status::NotFound("cannot open " + path + ": " + std::strerror(errno));
  uint8_t header[kHeader];
  const ssize_t got = ReadFull(in.get(), header, sizeof header);
  if (got < 0) return Status::Io("cannot read " + path + ": " + std::strerror(errno));
  if (static_cast<size_t>(got) < sizeof header || std::memcmp(header, kMagic, sizeof kMagic) != 0)
    return Status::Corrupt(path + " is not a file izde sealed with a passphrase");
  const uint8_t* salt = header + sizeof kMagic;
  const uint64_t ops = Get64(salt + kSalt), mem = Get64(salt + kSalt + 8);
  // Bounds a damaged or hostile header from asking for absurd work.
  if (ops < crypto_pwhash_OPSLIMIT_MIN || ops > crypto_pwhash_OPSLIMIT_SENSITIVE ||
      mem < crypto_pwhash_MEMLIMIT_MIN || mem > crypto_pwhash_MEMLIMIT_SENSITIVE)
    return Status::Corrupt(path + " has a damaged header (passphrase cost out of range)");
  SecretKey key;
  if (!Derive(passphrase, salt, ops, mem, key))
    return Status::Io("not enough memory to stretch the passphrase for " + path);
  crypto_secretstream_xchacha20poly1305_state st;
  if (crypto_secretstream_xchacha20poly1305_init_pull(&st, salt + kSalt + 16, key.data()) != 0)
    return Status::Corrupt(path + " has a damaged header");
  std::string out;
  struct stat info {};
  if (::fstat(in.get(), &info) == 0 && info.st_size > 0)
    out.reserve(static_cast<size_t>(info.st_size));
  std::vector<uint8_t> sealed(kChunk + kAbytes);
  bool final_seen = false;
  bool first = true;
  for (;;) {
    uint8_t len[4];
    const ssize_t l = ReadFull(in.get(), len, 4);
    if (l == 0 && final_seen) break;
    auto fail = [&](Status s) {
      sodium_memzero(out.data(), out.size());
      return s;
    };
    if (l < 0) return fail(Status::Io("cannot read " + path + ": " + std::strerror(errno)));
    if (l != 4 || final_seen)
      return fail(
          Status::Corrupt(path + (final_seen ? " has bytes after its end" : " is cut short")));
    const size_t clen =
        size_t{len[0]} | size_t{len[1]} << 8 | size_t{len[2]} << 16 | size_t{len[3]} << 24;
    if (clen < kAbytes || clen > sealed.size())
      return fail(Status::Corrupt(path + " is damaged (a chunk of impossible length)"));
    const ssize_t c = ReadFull(in.get(), sealed.data(), clen);
    if (c < 0) return fail(Status::Io("cannot read " + path + ": " + std::strerror(errno)));
    if (static_cast<size_t>(c) != clen) return fail(Status::Corrupt(path + " is cut short"));
    unsigned long long plen = 0;
    unsigned char tag = 0;
    // Opened straight into the result (no second copy of a state of hundreds of MiB).
    const size_t at = out.size();
    out.resize(at + clen - kAbytes);
    if (crypto_secretstream_xchacha20poly1305_pull(
            &st, reinterpret_cast<unsigned char*>(out.data() + at), &plen, &tag, sealed.data(),
            clen, header, sizeof header) != 0)
      return fail(first ? Status::PermissionDenied("wrong passphrase for " + path +
                                                   " (or the file was altered)")
                        : Status::Corrupt(path + " was altered or damaged"));
    first = false;
    out.resize(at + plen);
    final_seen = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
  }
  return out;
}

}  // namespace izde::vault
