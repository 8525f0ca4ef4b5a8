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
  // Appends nonce ‖ ciphertext ‖ tag of `plain` under `key`, bound to `ad`.
  virtual void Seal(const SecretKey& key, std::string_view plain, std::string_view ad,
                    Bytes& out) const = 0;
  // Opens what Seal wrote; fails closed (kCorrupt) on any change to the
  // ciphertext, the key or the associated data.
  virtual Status Open(const SecretKey& key, const uint8_t* sealed, size_t size, std::string_view ad,
                      std::string& plain) const = 0;
  virtual Status OpenKey(const SecretKey& kek, const uint8_t* sealed, size_t size,
                         std::string_view ad, SecretKey& key) const = 0;
};

class XChaChaCipher : public FieldCipher {
 public:
  void Seal(const SecretKey& key, std::string_view plain, std::string_view ad,
            Bytes& out) const override;
  Status Open(const SecretKey& key, const uint8_t* sealed, size_t size, std::string_view ad,
              std::string& plain) const override;
  Status OpenKey(const SecretKey& kek, const uint8_t* sealed, size_t size, std::string_view ad,
                 SecretKey& key) const override;
};

const FieldCipher& DefaultCipher();

}  // namespace izde::vault
