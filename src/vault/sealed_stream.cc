#include "vault/sealed_stream.h"

#include <fcntl.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

namespace izde::vault {

bool WriteAll(int fd, const uint8_t* p, size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

ssize_t ReadFull(int fd, uint8_t* p, size_t n) {
  size_t got = 0;
  while (got < n) {
    const ssize_t r = ::read(fd, p + got, n - got);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return -1;
    if (r == 0) break;
    got += static_cast<size_t>(r);
  }
  return static_cast<ssize_t>(got);
}

Status WriteSealedStream(const std::string& target, const std::string& tmp,
                         std::span<const uint8_t> prefix,
                         crypto_secretstream_xchacha20poly1305_state& state, std::string_view bytes,
                         size_t chunk, std::span<const uint8_t> ad) {
  ::unlink(tmp.c_str());
  bool ok = false;
  {
    Fd out(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (out.get() < 0) return Status::Io("cannot create " + tmp + ": " + std::strerror(errno));
    ok = WriteAll(out.get(), prefix.data(), prefix.size());
    std::vector<uint8_t> sealed(4 + chunk + crypto_secretstream_xchacha20poly1305_ABYTES);
    size_t pos = 0;
    do {
      const size_t n = std::min(chunk, bytes.size() - pos);
      const bool last = pos + n == bytes.size();
      unsigned long long clen = 0;
      crypto_secretstream_xchacha20poly1305_push(
          &state, sealed.data() + 4, &clen, reinterpret_cast<const uint8_t*>(bytes.data() + pos), n,
          ad.empty() ? nullptr : ad.data(), ad.size(),
          last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
      for (size_t i = 0; i < 4; ++i) sealed[i] = static_cast<uint8_t>((clen >> (8 * i)) & 0xff);
      ok = ok && WriteAll(out.get(), sealed.data(), 4 + clen);
      pos += n;
    } while (ok && pos < bytes.size());
    ok = ok && ::fsync(out.get()) == 0;
  }
  if (!ok || ::rename(tmp.c_str(), target.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(tmp.c_str());
    return Status::Io("cannot write " + target + ": " + why);
  }
  return Status::Ok();
}

}  // namespace izde::vault
