// A 32-byte key in locked, guarded memory (sodium_malloc): never swapped out,
// surrounded by guard pages, and wiped when the key is destroyed.
#pragma once

#include <sodium.h>

#include <cstdint>
#include <cstring>
#include <new>

namespace izde::vault {

class SecretKey {
 public:
  static constexpr size_t kSize = 32;

  SecretKey() : bytes_(Allocate()) {
    if (!bytes_) throw std::bad_alloc();
    sodium_memzero(bytes_, kSize);
  }
  ~SecretKey() {
    if (bytes_) sodium_free(bytes_);  // sodium_free wipes before unmapping
  }
  SecretKey(const SecretKey& o) : SecretKey() { std::memcpy(bytes_, o.bytes_, kSize); }
  SecretKey& operator=(const SecretKey& o) {
    if (this != &o) std::memcpy(bytes_, o.bytes_, kSize);
    return *this;
  }
  SecretKey(SecretKey&& o) noexcept : bytes_(o.bytes_) { o.bytes_ = nullptr; }
  SecretKey& operator=(SecretKey&& o) noexcept {
    std::swap(bytes_, o.bytes_);
    return *this;
  }

  static SecretKey Random() {
    SecretKey k;
    randombytes_buf(k.bytes_, kSize);
    return k;
  }

  uint8_t* data() { return bytes_; }
  const uint8_t* data() const { return bytes_; }
  void Wipe() {
    if (bytes_) sodium_memzero(bytes_, kSize);
  }

 private:
  // sodium_malloc needs libsodium initialised; sodium_init is idempotent.
  static uint8_t* Allocate() {
    static const bool ready = sodium_init() >= 0;
    return ready ? static_cast<uint8_t*>(sodium_malloc(kSize)) : nullptr;
  }
  uint8_t* bytes_;
};

// A short-lived key on the stack (a record version's data key): wiped when it
// goes out of scope. Guarded pages for each of these would cost an mmap, an
// mprotect and an mlock per record, which dominated import time.
struct ScratchKey {
  uint8_t bytes[SecretKey::kSize];
  ScratchKey() { sodium_memzero(bytes, sizeof bytes); }
  ~ScratchKey() { sodium_memzero(bytes, sizeof bytes); }
  ScratchKey(const ScratchKey&) = delete;
  ScratchKey& operator=(const ScratchKey&) = delete;
  static void Random(ScratchKey& k) { randombytes_buf(k.bytes, sizeof k.bytes); }
};

}  // namespace izde::vault
