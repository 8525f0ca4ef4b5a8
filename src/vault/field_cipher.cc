#include "vault/field_cipher.h"

#include <cstring>

namespace izde::vault {
namespace {
constexpr size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;

const unsigned char* Ad(std::string_view ad) {
  return reinterpret_cast<const unsigned char*>(ad.data());
}
}  // namespace

void XChaChaCipher::Seal(const uint8_t* key, std::string_view plain, std::string_view ad,
                         Bytes& out, const uint8_t* given_nonce) const {
  size_t start = out.size();
  out.resize(start + kNonce + plain.size() + kTag);
  uint8_t* nonce = out.data() + start;
  if (given_nonce)
    std::memcpy(nonce, given_nonce, kNonce);
  else
    randombytes_buf(nonce, kNonce);
  unsigned long long clen = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(nonce + kNonce, &clen,
                                             reinterpret_cast<const unsigned char*>(plain.data()),
                                             plain.size(), Ad(ad), ad.size(), nullptr, nonce, key);
}

Status XChaChaCipher::Open(const uint8_t* key, const uint8_t* sealed, size_t size,
                           std::string_view ad, std::string& plain) const {
  if (size < kNonce + kTag) return Status::Corrupt("a sealed field is truncated");
  plain.resize(size - kNonce - kTag);
  unsigned long long mlen = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(plain.data()),
                                                 &mlen, nullptr, sealed + kNonce, size - kNonce,
                                                 Ad(ad), ad.size(), sealed, key) != 0) {
    sodium_memzero(plain.data(), plain.size());
    plain.clear();
    return Status::Corrupt("a sealed field failed authentication");
  }
  return Status::Ok();
}

Status XChaChaCipher::OpenKey(const uint8_t* kek, const uint8_t* sealed, size_t size,
                              std::string_view ad, uint8_t* key) const {
  if (size != kNonce + SecretKey::kSize + kTag)
    return Status::Corrupt("a wrapped key has the wrong length");
  unsigned long long mlen = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(key, &mlen, nullptr, sealed + kNonce,
                                                 size - kNonce, Ad(ad), ad.size(), sealed,
                                                 kek) != 0) {
    sodium_memzero(key, SecretKey::kSize);
    return Status::Corrupt("a wrapped key failed authentication");
  }
  return Status::Ok();
}

const FieldCipher& DefaultCipher() {
  static const XChaChaCipher cipher;
  return cipher;
}

}  // namespace izde::vault
