#include "recovery/key_share.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <cstring>

#include "vault/test_vault_dir.h"
#include "vault/vault.h"

namespace izde::recovery {
namespace {

constexpr const char* kTrusteePass = "trustee passphrase";

struct Trustee {
  TrusteePublic pub;
  std::string secret_file;
};

std::vector<Trustee> MakeTrustees(size_t n) {
  std::vector<Trustee> out;
  for (size_t i = 0; i < n; ++i) {
    auto f = GenerateTrustee("trustee-" + std::to_string(i + 1), kTrusteePass,
                             vault::KdfCost::kTestOnlyMinimum);
    EXPECT_TRUE(f.ok());
    auto pub = TrusteePublic::Parse(f->public_text, "pub");
    EXPECT_TRUE(pub.ok());
    out.push_back({*pub, f->secret_text});
  }
  return out;
}

vault::UnlockedKeys RandomKeys() {
  vault::UnlockedKeys k;
  k.master = vault::SecretKey::Random();
  k.witness = vault::SecretKey::Random();
  return k;
}

// Each trustee opens their own share with their own key.
std::vector<std::string> OpenAll(const std::vector<SealedShare>& sealed,
                                 const std::vector<Trustee>& trustees) {
  std::vector<std::string> out;
  for (size_t i = 0; i < sealed.size(); ++i) {
    auto secret = OpenTrusteeSecret(trustees[i].secret_file, kTrusteePass, "key file");
    EXPECT_TRUE(secret.ok()) << secret.status().message();
    auto opened = OpenShare(sealed[i].text, *secret, "share file");
    EXPECT_TRUE(opened.ok()) << opened.status().message();
    out.emplace_back(reinterpret_cast<const char*>(opened->data()), opened->size());
  }
  return out;
}

bool SameKey(const vault::SecretKey& a, const vault::SecretKey& b) {
  return sodium_memcmp(a.data(), b.data(), vault::SecretKey::kSize) == 0;
}

std::string Replace(std::string text, const std::string& line_start, const std::string& line) {
  size_t at = text.find("\n" + line_start);
  EXPECT_NE(at, std::string::npos);
  size_t end = text.find('\n', at + 1);
  return text.substr(0, at + 1) + line + text.substr(end);
}

// Recomputes the check line, as a dishonest trustee could.
std::string Recheck(std::string text) {
  size_t at = text.find("check ");
  std::string body = text.substr(0, at);
  uint8_t h[32];
  crypto_generichash(h, 32, reinterpret_cast<const uint8_t*>(body.data()), body.size(), nullptr, 0);
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, h, 32);
  return body + "check " + hex + "\n";
}

TEST(KeyShare, EveryThresholdSubsetRecoversAndSmallerOnesDoNot) {
  auto trustees = MakeTrustees(5);
  auto keys = RandomKeys();
  SplitRequest req{"izde.vault/0123456789abcdef", {}, 3, true};
  for (const auto& t : trustees) req.trustees.push_back(t.pub);
  auto sealed = Split(keys, req);
  ASSERT_TRUE(sealed.ok()) << sealed.status().message();
  ASSERT_EQ(sealed->size(), 5u);
  auto opened = OpenAll(*sealed, trustees);
  int recovered = 0;
  for (unsigned mask = 0; mask < 32; ++mask) {
    std::vector<ShareInput> in;
    for (unsigned i = 0; i < 5; ++i)
      if (mask & (1u << i)) in.push_back({"share-" + std::to_string(i + 1), opened[i]});
    auto r = Combine(in);
    if (in.size() >= 3) {
      ASSERT_TRUE(r.ok()) << mask << ": " << r.status().message();
      EXPECT_TRUE(SameKey(r->keys.master, keys.master));
      ASSERT_TRUE(r->keys.witness);
      EXPECT_TRUE(SameKey(*r->keys.witness, *keys.witness));
      EXPECT_TRUE(r->rejected.empty());
      EXPECT_EQ(r->origin, "izde.vault/0123456789abcdef");
      ++recovered;
    } else {
      EXPECT_FALSE(r.ok()) << mask;
    }
  }
  EXPECT_EQ(recovered, 16);  // C(5,3) + C(5,4) + C(5,5)
}

TEST(KeyShare, EveryCorruptedShareIsNamed) {
  auto trustees = MakeTrustees(4);
  auto keys = RandomKeys();
  SplitRequest req{"izde.vault/aa", {}, 2, false};
  for (const auto& t : trustees) req.trustees.push_back(t.pub);
  auto opened = OpenAll(*Split(keys, req), trustees);
  for (size_t bad = 0; bad < 4; ++bad) {
    // A flipped digit anywhere: the share's own check names it.
    std::vector<std::string> texts = opened;
    size_t pos = texts[bad].find("data ") + 9;
    texts[bad][pos] = texts[bad][pos] == '0' ? '1' : '0';
    std::vector<ShareInput> in;
    for (size_t i = 0; i < 4; ++i) in.push_back({"share-" + std::to_string(i + 1), texts[i]});
    auto r = Combine(in);
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_TRUE(SameKey(r->keys.master, keys.master));
    EXPECT_FALSE(r->keys.witness);
    ASSERT_EQ(r->rejected.size(), 1u);
    EXPECT_NE(r->rejected[0].find("share-" + std::to_string(bad + 1) + ": the share is damaged"),
              std::string::npos)
        << r->rejected[0];
    // With only one good share left, recovery fails and still names the damaged one.
    std::vector<ShareInput> two{in[bad], in[(bad + 1) % 4]};
    auto fail = Combine(two);
    ASSERT_FALSE(fail.ok());
    EXPECT_NE(fail.status().message().find("share-" + std::to_string(bad + 1)), std::string::npos);
    EXPECT_NE(fail.status().message().find("needs 2 good shares"), std::string::npos)
        << fail.status().message();
  }
}

TEST(KeyShare, AWellFormedButWrongShareIsNamed) {
  auto trustees = MakeTrustees(4);
  auto keys = RandomKeys();
  SplitRequest req{"izde.vault/aa", {}, 2, true};
  for (const auto& t : trustees) req.trustees.push_back(t.pub);
  auto opened = OpenAll(*Split(keys, req), trustees);
  // Trustee 2 alters their data and recomputes the check: only the commitment tells.
  std::string data(128, 'a');
  opened[1] = Recheck(Replace(opened[1], "data ", "data " + data));
  std::vector<ShareInput> in;
  for (size_t i = 0; i < 4; ++i) in.push_back({"share-" + std::to_string(i + 1), opened[i]});
  for (size_t first = 0; first < 4; ++first) {
    std::vector<ShareInput> order(in.begin() + first, in.end());
    order.insert(order.end(), in.begin(), in.begin() + first);
    auto r = Combine(order);
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_TRUE(SameKey(r->keys.master, keys.master));
    ASSERT_EQ(r->rejected.size(), 1u);
    EXPECT_NE(r->rejected[0].find("share-2 (share 2 of 4, trustee trustee-2) is wrong"),
              std::string::npos)
        << r->rejected[0];
  }
  // The wrong share and one good one: the key cannot be trusted, and nothing is returned.
  auto r = Combine({in[0], in[1]});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("bring more shares"), std::string::npos);
}

TEST(KeyShare, SharesOfAnotherSplitOrStillSealedAreNamed) {
  auto trustees = MakeTrustees(3);
  auto keys = RandomKeys();
  SplitRequest req{"izde.vault/aa", {}, 2, true};
  for (const auto& t : trustees) req.trustees.push_back(t.pub);
  auto sealed = *Split(keys, req);
  auto first = OpenAll(sealed, trustees);
  auto second = OpenAll(*Split(keys, req), trustees);
  auto r = Combine({{"a", first[0]}, {"b", first[1]}, {"c", second[2]}, {"d", sealed[0].text}});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->rejected.size(), 2u);
  std::string all = r->rejected[0] + "\n" + r->rejected[1];
  EXPECT_NE(all.find("c (share 3 of 3, trustee trustee-3) belongs to another split"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("d is still sealed"), std::string::npos) << all;
}

TEST(KeyShare, OnlyItsTrusteeOpensAShare) {
  auto trustees = MakeTrustees(2);
  auto keys = RandomKeys();
  SplitRequest req{"izde.vault/aa", {}, 2, true};
  for (const auto& t : trustees) req.trustees.push_back(t.pub);
  auto sealed = *Split(keys, req);
  auto wrong_pass = OpenTrusteeSecret(trustees[0].secret_file, "not it at all", "t1.key");
  ASSERT_FALSE(wrong_pass.ok());
  EXPECT_EQ(wrong_pass.status().message(),
            "wrong passphrase for the trustee key 'trustee-1' (t1.key)");
  auto t2 = OpenTrusteeSecret(trustees[1].secret_file, kTrusteePass, "t2.key");
  ASSERT_TRUE(t2.ok());
  auto other = OpenShare(sealed[0].text, *t2, "share-1");
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.status().message().find("sealed to another trustee"), std::string::npos);
  // No plaintext key material in the sealed file.
  EXPECT_EQ(sealed[0].text.find("data "), std::string::npos);
  EXPECT_EQ(sealed[0].text.find("commitment"), std::string::npos);
}

TEST(KeyShare, SplitRefusesThresholdsThatProtectNothing) {
  auto trustees = MakeTrustees(3);
  auto keys = RandomKeys();
  SplitRequest req{"izde.vault/aa", {}, 1, true};
  for (const auto& t : trustees) req.trustees.push_back(t.pub);
  EXPECT_FALSE(Split(keys, req).ok());
  req.threshold = 4;
  EXPECT_FALSE(Split(keys, req).ok());
  req.threshold = 2;
  req.trustees[2] = req.trustees[0];
  EXPECT_NE(Split(keys, req).status().message().find("same key"), std::string::npos);
}

// THREATS.md P9: the vault opened without any passphrase, by k trustees.
TEST(KeyShare, TrusteesGiveAVaultANewPassphrase) {
  vault::TestDir dir;
  vault::VaultOptions fast;
  fast.kdf = vault::KdfCost::kTestOnlyMinimum;
  ASSERT_TRUE(vault::Vault::Create(dir / "v", "admin", "forgotten passphrase", fast).ok());
  ASSERT_TRUE(vault::Vault::Create(dir / "other", "admin", "forgotten passphrase", fast).ok());
  auto trustees = MakeTrustees(3);
  std::vector<std::string> opened;
  std::string origin;
  {
    auto v = vault::Vault::Unlock(dir / "v", "admin", "forgotten passphrase", fast);
    ASSERT_TRUE(v.ok());
    model::Record w{"W-1", model::RecordType::kWitness, {{"name", "W"}, {"contact", "555"}}};
    ASSERT_TRUE((*v)->Save(w).ok());
    origin = (*v)->log()->origin();
    SplitRequest req{origin, {}, 2, true};
    for (const auto& t : trustees) req.trustees.push_back(t.pub);
    auto sealed = Split(*(*v)->KeysForRecovery(), req);
    ASSERT_TRUE(sealed.ok());
    opened = OpenAll(*sealed, trustees);
  }
  auto r = Combine({{"s1", opened[0]}, {"s3", opened[2]}});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->origin, origin);
  auto wrong = vault::Vault::AddRecoveredUser(dir / "other", r->keys, "coordinator",
                                              "a new passphrase", vault::KdfCost::kTestOnlyMinimum);
  EXPECT_EQ(wrong.code(), Status::Code::kPermissionDenied) << wrong.message();
  ASSERT_TRUE(vault::Vault::AddRecoveredUser(dir / "v", r->keys, "coordinator", "a new passphrase",
                                             vault::KdfCost::kTestOnlyMinimum)
                  .ok());
  auto v = vault::Vault::Unlock(dir / "v", "coordinator", "a new passphrase", fast);
  ASSERT_TRUE(v.ok()) << v.status().message();
  auto w = (*v)->Get("W-1");
  ASSERT_TRUE(w.ok()) << w.status().message();
  EXPECT_EQ(w->record.doc["contact"], "555");
  EXPECT_EQ(vault::Vault::AddRecoveredUser(dir / "v", r->keys, "coordinator", "a new passphrase",
                                           vault::KdfCost::kTestOnlyMinimum)
                .code(),
            Status::Code::kAlreadyExists);
}

}  // namespace
}  // namespace izde::recovery
