// Backing up a vault whose records, evidence files and log are in PostgreSQL: the backup
// holds the sealed files from the database, and restores to an ordinary vault directory.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "backup/backup.h"
#include "store/postgresql/test_cluster.h"
#include "vault/test_vault_dir.h"
#include "vault/vault.h"

namespace izde::backup {
namespace {

namespace fs = std::filesystem;
using vault::TestDir;
using vault::Vault;
constexpr const char* kPass = "correct horse battery staple";

TEST(BackupPostgres, EvidenceInTheDatabaseIsBackedUpAndRestored) {
  auto cluster = store::TestCluster::Shared();
  ASSERT_TRUE(cluster.ok()) << cluster.status().message();
  auto uri = (*cluster)->CreateDatabase();
  ASSERT_TRUE(uri.ok()) << uri.status().message();
  TestDir dir;
  vault::VaultOptions o;
  o.kdf = vault::KdfCost::kTestOnlyMinimum;
  o.store = *uri;
  ASSERT_TRUE(Vault::Create(dir / "v", "admin", kPass, o).ok());
  // Two pieces of 1 MiB and a bit in the database; two chunks of 4 MiB in the backup.
  std::string video(5 * 1024 * 1024 + 321, '\0');
  for (size_t i = 0; i < video.size(); ++i) video[i] = static_cast<char>((i * 7919) >> 5);
  std::ofstream(dir / "video.mp4", std::ios::binary) << video;
  {
    auto v = Vault::Unlock(dir / "v", "admin", kPass, o);
    ASSERT_TRUE(v.ok()) << v.status().message();
    ASSERT_TRUE(
        (*v)->Save({"P-1", model::RecordType::kPerson, {{"names", {{{"text", "A B"}}}}}}).ok());
    ASSERT_TRUE((*v)->AddEvidence(dir / "video.mp4", {{"media_type", "video/mp4"}}, "E-1").ok());
    auto first = Backup(**v, dir / "backup");
    ASSERT_TRUE(first.ok()) << first.status().message();
    EXPECT_GE(first->chunks_written, 2u);
    // The next run keeps the file's chunks without reading it again.
    ASSERT_TRUE(
        (*v)->Save({"P-2", model::RecordType::kPerson, {{"names", {{{"text", "C D"}}}}}}).ok());
    auto second = Backup(**v, dir / "backup");
    ASSERT_TRUE(second.ok()) << second.status().message();
    EXPECT_TRUE(second->incremental);
    EXPECT_LT(second->bytes_written, 1024u * 1024u);
  }
  auto check = VerifyBackup(dir / "backup");
  ASSERT_TRUE(check.ok()) << check.status().message();
  EXPECT_TRUE(check->problems.empty()) << check->problems.front();
  auto restored = Restore(dir / "backup", dir / "restored");
  ASSERT_TRUE(restored.ok()) << restored.status().message();
  vault::VaultOptions local;
  local.kdf = vault::KdfCost::kTestOnlyMinimum;
  auto v = Vault::Unlock(dir / "restored", "admin", kPass, local);
  ASSERT_TRUE(v.ok()) << v.status().message();
  ASSERT_TRUE((*v)->ExtractEvidence("E-1", dir / "out.mp4").ok());
  std::ifstream got(dir / "out.mp4", std::ios::binary);
  EXPECT_TRUE(std::string(std::istreambuf_iterator<char>(got), {}) == video);
  auto all = (*v)->CheckEverything();
  ASSERT_TRUE(all.ok()) << all.status().message();
  EXPECT_TRUE(all->problems.empty()) << all->problems.front();
  EXPECT_EQ(all->blobs, 1u);
}

}  // namespace
}  // namespace izde::backup
