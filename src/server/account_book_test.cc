// Accounts: Argon2id hashes, TOTP (RFC 6238 vector through liboath), sealed
// storage in the vault, API tokens kept as hashes only.
#include "server/account_book.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <filesystem>
#include <fstream>

#include "vault/test_vault_dir.h"

namespace izde::server {
namespace {

constexpr auto kFast = vault::KdfCost::kTestOnlyMinimum;

std::unique_ptr<vault::Vault> MakeVault(const vault::TestDir& dir) {
  vault::VaultOptions o;
  o.kdf = kFast;
  EXPECT_TRUE(vault::Vault::Create(dir / "v", "admin", "vault pass phrase", o).ok());
  auto v = vault::Vault::Unlock(dir / "v", "admin", "vault pass phrase", o);
  EXPECT_TRUE(v.ok());
  return std::move(v).value();
}

TEST(AccountBook, PasswordsAreArgon2idAndChecked) {
  ASSERT_GE(sodium_init(), 0);
  std::string h = HashPassword("a long password", kFast);
  EXPECT_EQ(h.rfind("$argon2id$", 0), 0u) << h;
  EXPECT_TRUE(PasswordMatches(h, "a long password"));
  EXPECT_FALSE(PasswordMatches(h, "a long passwore"));
  EXPECT_FALSE(PasswordMatches("", ""));
  EXPECT_FALSE(PasswordMatches(DummyPasswordHash(), ""));
}

TEST(AccountBook, TotpMatchesTheRfc6238VectorAndRefusesReplay) {
  // RFC 6238 appendix B, SHA-1 secret "12345678901234567890", T = 59 s -> 94287082 (8
  // digits); its last 6 digits are the 6-digit code.
  std::string secret_hex = "3132333435363738393031323334353637383930";
  EXPECT_EQ(TotpCode(secret_hex, 59), "287082");
  EXPECT_EQ(TotpCode(secret_hex, 1111111109), "081804");
  auto step = TotpStep(secret_hex, "081804", 1111111109);
  ASSERT_TRUE(step);
  EXPECT_EQ(*step, 1111111109 / 30);
  EXPECT_TRUE(TotpStep(secret_hex, "081804", 1111111109 + 30));  // one step late is fine
  EXPECT_FALSE(TotpStep(secret_hex, "081804", 1111111109 + 95));
  EXPECT_FALSE(TotpStep(secret_hex, "08180", 1111111109));
  EXPECT_FALSE(TotpStep(secret_hex, "08180x", 1111111109));

  AccountBook book;
  auto a = book.Add("zhanar", Role::kDocumenter, "long enough pass", false, kFast);
  ASSERT_TRUE(a.ok());
  auto b32 = book.EnableTotp(a->id);
  ASSERT_TRUE(b32.ok());
  EXPECT_EQ(b32->size(), 32u);  // 20 bytes in base32
  EXPECT_TRUE(book.AcceptTotpStep(a->id, 100));
  EXPECT_FALSE(book.AcceptTotpStep(a->id, 100)) << "a code is good once";
  EXPECT_FALSE(book.AcceptTotpStep(a->id, 99));
}

TEST(AccountBook, NamesAndPasswordsAreChecked) {
  AccountBook book;
  EXPECT_FALSE(book.Add("Zhanar", Role::kViewer, "long enough pass", false, kFast).ok());
  EXPECT_FALSE(book.Add("a b", Role::kViewer, "long enough pass", false, kFast).ok());
  EXPECT_FALSE(book.Add("zhanar", Role::kViewer, "short", false, kFast).ok());
  ASSERT_TRUE(book.Add("zhanar", Role::kViewer, "long enough pass", false, kFast).ok());
  EXPECT_EQ(book.Add("zhanar", Role::kAdmin, "long enough pass", false, kFast).status().code(),
            Status::Code::kAlreadyExists);
}

TEST(AccountBook, IsSealedInTheVaultAndTokensAreKeptAsHashes) {
  vault::TestDir dir;
  auto v = MakeVault(dir);
  AccountBook book;
  auto a = book.Add("canaryaccount", Role::kCoordinator, "canary password 1", true, kFast);
  ASSERT_TRUE(a.ok());
  auto token = book.NewApiToken(a->id);
  ASSERT_TRUE(token.ok());
  book.Share("P-1", a->id);
  ASSERT_TRUE(book.Save(*v).ok());
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir / "v")) {
    if (!e.is_regular_file()) continue;
    std::ifstream f(e.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(f)), {});
    EXPECT_EQ(bytes.find("canaryaccount"), std::string::npos) << e.path();
    EXPECT_EQ(bytes.find(token->substr(5, 20)), std::string::npos) << e.path();
  }
  auto loaded = AccountBook::Load(*v);
  ASSERT_TRUE(loaded.ok());
  const Account* back = loaded->FindByName("canaryaccount");
  ASSERT_NE(back, nullptr);
  EXPECT_EQ(back->role, Role::kCoordinator);
  EXPECT_TRUE(back->witness);
  EXPECT_TRUE(PasswordMatches(back->password_hash, "canary password 1"));
  EXPECT_EQ(back->api_token_hash.find(token->substr(5)), std::string::npos);
  EXPECT_EQ(loaded->FindByApiToken(*token), back);
  EXPECT_EQ(loaded->FindByApiToken(*token + "x"), nullptr);
  EXPECT_TRUE(loaded->SharedWith("P-1", a->id));
  EXPECT_FALSE(loaded->SharedWith("P-2", a->id));
  v->Lock();
  EXPECT_FALSE(AccountBook::Load(*v).ok()) << "no accounts without the vault's keys";
}

TEST(Roles, MatrixOfPermissions) {
  EXPECT_TRUE(Allows(Role::kAdmin, Permission::kUsers));
  EXPECT_FALSE(Allows(Role::kCoordinator, Permission::kUsers));
  EXPECT_TRUE(Allows(Role::kDocumenter, Permission::kRecord));
  EXPECT_FALSE(Allows(Role::kDocumenter, Permission::kReadAll));
  EXPECT_FALSE(Allows(Role::kReviewer, Permission::kRecord));
  EXPECT_TRUE(Allows(Role::kReviewer, Permission::kReview));
  EXPECT_FALSE(Allows(Role::kViewer, Permission::kRecord));
  EXPECT_FALSE(Allows(Role::kViewer, Permission::kAudit));
  for (Role r : AllRoles()) EXPECT_EQ(ParseRole(RoleName(r)), r);
  EXPECT_FALSE(ParseRole("root"));
}

}  // namespace
}  // namespace izde::server
