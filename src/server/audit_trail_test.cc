// The audit trail: sealed, ordered, resumes where it ended after a new unlock.
#include "server/audit_trail.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "vault/test_vault_dir.h"

namespace izde::server {
namespace {

TEST(AuditTrail, AppendsSealedEntriesAndResumesAfterUnlock) {
  vault::TestDir dir;
  vault::VaultOptions o;
  o.kdf = vault::KdfCost::kTestOnlyMinimum;
  ASSERT_TRUE(vault::Vault::Create(dir / "v", "admin", "vault pass phrase", o).ok());
  {
    auto v = vault::Vault::Unlock(dir / "v", "admin", "vault pass phrase", o);
    ASSERT_TRUE(v.ok());
    AuditTrail trail;
    ASSERT_TRUE(trail.Open(**v).ok());
    EXPECT_EQ(trail.size(), 0);
    for (int i = 0; i < 5; ++i)
      ASSERT_TRUE(trail
                      .Append(**v, {0, 1000 + i, "acct-CANARYAUD", "read_witness",
                                    "W-" + std::to_string(i), "127.0.0.1"})
                      .ok());
  }
  auto v = vault::Vault::Unlock(dir / "v", "admin", "vault pass phrase", o);
  ASSERT_TRUE(v.ok());
  AuditTrail trail;
  ASSERT_TRUE(trail.Open(**v).ok());
  EXPECT_EQ(trail.size(), 5);
  ASSERT_TRUE(trail.Append(**v, {0, 2000, "acct-X", "lock", "", "::1"}).ok());
  auto recent = trail.Recent(**v, 3);
  ASSERT_TRUE(recent.ok());
  ASSERT_EQ(recent->size(), 3u);
  EXPECT_EQ((*recent)[0].seq, 6);
  EXPECT_EQ((*recent)[0].action, "lock");
  EXPECT_EQ((*recent)[1].target, "W-4");
  EXPECT_EQ((*recent)[2].time, 1003);
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir / "v")) {
    if (!e.is_regular_file()) continue;
    std::ifstream f(e.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(f)), {});
    EXPECT_EQ(bytes.find("CANARYAUD"), std::string::npos) << e.path();
    EXPECT_EQ(bytes.find("read_witness"), std::string::npos) << e.path();
  }
}

}  // namespace
}  // namespace izde::server
