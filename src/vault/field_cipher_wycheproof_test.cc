// THREATS.md P2: the field cipher agrees with every Wycheproof
// XChaCha20-Poly1305 vector: valid cases open to the message (and sealing with
// the vector's nonce reproduces the ciphertext), invalid ones fail closed.
#include <gtest/gtest.h>
#include <sodium.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "vault/field_cipher.h"

namespace izde::vault {
namespace {

std::string Bin(const std::string& hex) {
  std::string out(hex.size() / 2, '\0');
  size_t len = 0;
  sodium_hex2bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), hex.data(), hex.size(),
                 nullptr, &len, nullptr);
  out.resize(len);
  return out;
}

TEST(FieldCipher, PassesWycheproofXChaCha20Poly1305) {
  ASSERT_GE(sodium_init(), 0);
  const char* shared = std::getenv("IZDE_SHARED_DIR");
  std::string path = std::string(shared ? shared : "../shared") +
                     "/data/vectors/wycheproof/xchacha20_poly1305_test.json";
  std::ifstream in(path);
  ASSERT_TRUE(in) << "missing " << path;
  auto doc = nlohmann::json::parse(in);
  const auto& cipher = DefaultCipher();
  int run = 0, valid = 0;
  for (const auto& group : doc["testGroups"]) {
    for (const auto& t : group["tests"]) {
      std::string key = Bin(t["key"]), iv = Bin(t["iv"]), aad = Bin(t["aad"]), msg = Bin(t["msg"]),
                  ct = Bin(t["ct"]), tag = Bin(t["tag"]);
      std::string result = t["result"];
      int id = t["tcId"];
      if (key.size() != 32 || iv.size() != 24) {
        // The cipher only takes 32-byte keys and 24-byte nonces; such vectors
        // test rejection of bad sizes, which our types make impossible.
        EXPECT_NE(result, "valid") << id;
        continue;
      }
      std::string sealed = iv + ct + tag;
      std::string plain;
      Status s =
          cipher.Open(reinterpret_cast<const uint8_t*>(key.data()),
                      reinterpret_cast<const uint8_t*>(sealed.data()), sealed.size(), aad, plain);
      ++run;
      if (result == "valid") {
        ++valid;
        ASSERT_TRUE(s.ok()) << "tcId " << id;
        EXPECT_EQ(plain, msg) << "tcId " << id;
        Bytes out;
        cipher.Seal(reinterpret_cast<const uint8_t*>(key.data()), msg, aad, out,
                    reinterpret_cast<const uint8_t*>(iv.data()));
        EXPECT_EQ(std::string(out.begin(), out.end()), sealed) << "tcId " << id;
      } else {
        EXPECT_FALSE(s.ok()) << "tcId " << id << " should fail";
        EXPECT_EQ(s.code(), Status::Code::kCorrupt);
      }
    }
  }
  EXPECT_GT(run, 250);
  EXPECT_GT(valid, 100);
}

// Large messages open on two threads (tag on one, deciphering split between both): the
// result is libsodium's own decryption, and any change to ciphertext, tag, nonce or
// associated data fails closed with nothing given out.
TEST(FieldCipher, LargeMessagesOpenAsLibsodiumDoes) {
  ASSERT_GE(sodium_init(), 0);
  const XChaChaCipher cipher;
  uint8_t key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
  randombytes_buf(key, sizeof key);
  for (size_t size :
       {size_t{8} << 20, (size_t{8} << 20) + 1, (size_t{9} << 20) + 77, (size_t{12} << 20) + 63}) {
    for (std::string ad :
         {std::string(), std::string("izde/setting/v1/link-state"), std::string(16, 'a')}) {
      std::string msg(size, '\0');
      randombytes_buf(msg.data(), msg.size());
      Bytes sealed;
      cipher.Seal(key, msg, ad, sealed);
      std::string want(size, '\0');
      unsigned long long mlen = 0;
      ASSERT_EQ(
          crypto_aead_xchacha20poly1305_ietf_decrypt(
              reinterpret_cast<unsigned char*>(want.data()), &mlen, nullptr, sealed.data() + 24,
              sealed.size() - 24, reinterpret_cast<const unsigned char*>(ad.data()), ad.size(),
              sealed.data(), key),
          0);
      ASSERT_EQ(want, msg);
      std::string got;
      ASSERT_TRUE(cipher.Open(key, sealed.data(), sealed.size(), ad, got).ok()) << size;
      ASSERT_TRUE(got == msg) << size << " ad " << ad.size();
      for (size_t at :
           {size_t{0}, size_t{30}, sealed.size() / 2, sealed.size() - 20, sealed.size() - 1}) {
        Bytes bad = sealed;
        bad[at] ^= 0x10;
        std::string out = "x";
        Status s = cipher.Open(key, bad.data(), bad.size(), ad, out);
        EXPECT_EQ(s.code(), Status::Code::kCorrupt) << size << " at " << at;
        EXPECT_TRUE(out.empty());
      }
      std::string out;
      EXPECT_FALSE(cipher.Open(key, sealed.data(), sealed.size(), ad + "x", out).ok());
      EXPECT_TRUE(out.empty());
      EXPECT_FALSE(cipher.Open(key, sealed.data(), sealed.size() - 1, ad, out).ok());
    }
  }
}

}  // namespace
}  // namespace izde::vault
