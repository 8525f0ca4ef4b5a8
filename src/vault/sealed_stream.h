// What the sealed file formats of src/vault share (blob_seal.h, passphrase_seal.h): file
// descriptors, whole reads and writes, and the sealing of bytes held in memory as a
// secretstream of "u32le(length) chunk" records written to a temporary file beside the
// target, flushed, then renamed over it. Internal to the vault module.
#pragma once

#include <sodium.h>
#include <sys/types.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "base/status.h"

namespace izde::vault {

// Closes the descriptor when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() {
    const int f = fd_;
    fd_ = -1;
    return f;
  }

 private:
  int fd_;
};

// Writes all n bytes (retrying short writes); false on error, errno set.
bool WriteAll(int fd, const uint8_t* p, size_t n);
// Reads up to n bytes; the count, or -1 on error. Short only at the end of the file.
ssize_t ReadFull(int fd, uint8_t* p, size_t n);

// Writes `prefix`, then `bytes` pushed through `state` in chunks of `chunk` bytes (the last,
// possibly empty, with TAG_FINAL; `ad` bound to every chunk), each as u32le(length) and the
// sealed chunk, to `tmp`; flushes it and renames it to `target`. On failure nothing is left
// at `tmp` and `target` is as it was.
Status WriteSealedStream(const std::string& target, const std::string& tmp,
                         std::span<const uint8_t> prefix,
                         crypto_secretstream_xchacha20poly1305_state& state, std::string_view bytes,
                         size_t chunk, std::span<const uint8_t> ad);

}  // namespace izde::vault
