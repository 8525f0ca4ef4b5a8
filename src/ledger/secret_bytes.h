// Key material lives here: a sodium_malloc'ed buffer (guard pages, mlock'ed so it is
// never swapped) that is wiped by sodium_free when the owner goes away. Move-only, so a
// secret is never silently duplicated into ordinary heap memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace izde::ledger {

class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(std::size_t size);
  ~SecretBytes();
  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;

  std::uint8_t* data() { return data_; }
  const std::uint8_t* data() const { return data_; }
  std::size_t size() const { return size_; }
  std::span<const std::uint8_t> bytes() const { return {data_, size_}; }

 private:
  std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
};

// libsodium must be initialised once before use; safe to call from anywhere, any time.
void EnsureSodium();

}  // namespace izde::ledger
