// The authenticated cipher that seals record fields and wraps data keys.
// Production uses XChaCha20-Poly1305 (libsodium) with random 24-byte nonces;
// the interface exists so that the import benchmark can measure the cost of
// sealing against a pass-through cipher defined only in bench/.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "store/store.h"
#include "vault/secret_key.h"

namespace izde::vault {

using store::Bytes;

class FieldCipher {
 public:
  virtual ~FieldCipher() = default;
  // Keys are 32 bytes. Appends nonce ‖ ciphertext ‖ tag of `plain` under
  // `key`, bound to `ad`. The 24-byte nonce is random unless given; give one
  // only under a key that is fresh and never used with that nonce again.
  virtual void Seal(const uint8_t* key, std::string_view plain, std::string_view ad, Bytes& out,
                    const uint8_t* nonce = nullptr) const = 0;
  // Opens what Seal wrote; fails closed (kCorrupt) on any change to the
  // ciphertext, the key or the associated data.
  virtual Status Open(const uint8_t* key, const uint8_t* sealed, size_t size, std::string_view ad,
                      std::string& plain) const = 0;
  // Opens a wrapped 32-byte key into `key`.
  virtual Status OpenKey(const uint8_t* kek, const uint8_t* sealed, size_t size,
                         std::string_view ad, uint8_t* key) const = 0;
};

class XChaChaCipher : public FieldCipher {
 public:
  void Seal(const uint8_t* key, std::string_view plain, std::string_view ad, Bytes& out,
            const uint8_t* nonce = nullptr) const override;
  Status Open(const uint8_t* key, const uint8_t* sealed, size_t size, std::string_view ad,
              std::string& plain) const override;
  Status OpenKey(const uint8_t* kek, const uint8_t* sealed, size_t size, std::string_view ad,
                 uint8_t* key) const override;
};

const FieldCipher& DefaultCipher();

}  // namespace izde::vault
