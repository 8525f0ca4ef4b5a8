// `izde migrate` end to end: a vault moves from its SQLite file to PostgreSQL
// and back, every record and the log intact, and `izde verify --vault` passes
// at each step.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "cli/cli_test_support.h"
#include "store/postgresql/test_cluster.h"

namespace izde::cli {
namespace {

namespace fs = std::filesystem;

class Migrate : public IzdeBinaryTest {
 protected:
  void SetUp() override {
    IzdeBinaryTest::SetUp();
    Write("pass", "a test passphrase\n");
    auto c = store::TestCluster::Shared();
    ASSERT_TRUE(c.ok()) << c.status().message();
    auto uri = (*c)->CreateDatabase();
    ASSERT_TRUE(uri.ok()) << uri.status().message();
    uri_ = *uri;
  }
  Ran Izde(const std::string& args) {
    return RunIzde("IZDE_PASSPHRASE_FILE=" + Path("pass"), "--vault " + Path("vault") + " " + args);
  }
  std::string uri_;
};

TEST_F(Migrate, ToPostgresAndBackKeepsEverythingAndVerifies) {
  ASSERT_EQ(Izde("init --kdf-cost test-only-minimum").code, 0);
  ASSERT_EQ(Izde("add person --id P-1 --name \"Қалида Ақытхан\" --birth-date \"about 1975\"").code,
            0);
  ASSERT_EQ(Izde("add person --id P-2 --name \"ئىلھام توختى\"").code, 0);
  ASSERT_EQ(Izde("add event --person P-1 --kind detained --date \"spring 2018\"").code, 0);
  // An evidence file travels too: into the database, and back into the directory.
  std::ofstream(dir_ / "clip.mp4", std::ios::binary) << std::string(300000, 'v') + "end";
  ASSERT_EQ(Izde("add evidence " + (dir_ / "clip.mp4").string() + " --id EV-1").code, 0);
  auto extracted = [&](const std::string& name) {
    Ran r = Izde("evidence extract EV-1 " + (dir_ / name).string());
    EXPECT_EQ(r.code, 0) << r.err;
    std::ifstream f(dir_ / name, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), {}) == std::string(300000, 'v') + "end";
  };
  Ran before = Izde("--json export --format json");
  ASSERT_EQ(before.code, 0) << before.err;

  Ran there = Izde("migrate --from " + Path("vault") + " --to '" + uri_ + "'");
  ASSERT_EQ(there.code, 0) << there.err;
  EXPECT_NE(there.out.find("every version matches its entry in the vault's log"), std::string::npos)
      << there.out;
  EXPECT_TRUE(fs::exists(dir_ / "vault/store"));
  EXPECT_FALSE(fs::exists(dir_ / "vault/vault.db"));
  EXPECT_TRUE(fs::exists(dir_ / "vault/vault.db.pre-migration"));
  EXPECT_EQ(Izde("--json export --format json").out, before.out);
  Ran verify = Izde("verify --vault");
  EXPECT_EQ(verify.code, 0) << verify.out << verify.err;
  fs::remove_all(dir_ / "vault/blobs");  // the database holds the evidence now
  EXPECT_TRUE(extracted("on-pg.mp4"));
  // Written on PostgreSQL, then carried back.
  ASSERT_EQ(Izde("add person --id P-3 --name \"阿克提汗\"").code, 0);
  Ran on_pg = Izde("--json export --format json");
  EXPECT_NE(on_pg.out, before.out);
  // A second migration into the same, now full, database is refused.
  Ran twice = Izde("migrate --from " + Path("vault") + " --to '" + uri_ + "'");
  EXPECT_NE(twice.code, 0);

  Ran back = Izde("migrate --from '" + uri_ + "' --to " + Path("vault"));
  ASSERT_EQ(back.code, 0) << back.err;
  EXPECT_TRUE(fs::exists(dir_ / "vault/vault.db"));
  EXPECT_FALSE(fs::exists(dir_ / "vault/store"));
  EXPECT_EQ(Izde("--json export --format json").out, on_pg.out);
  verify = Izde("verify --vault");
  EXPECT_EQ(verify.code, 0) << verify.out << verify.err;
  EXPECT_TRUE(extracted("back.mp4"));
}

TEST_F(Migrate, ExplainsWhatIsWrongWithoutLeakingAPassword) {
  ASSERT_EQ(Izde("init --kdf-cost test-only-minimum").code, 0);
  Ran pw = Izde("migrate --from " + Path("vault") +
                " --to 'postgresql://izde:Pa55-Secret@/x?host=/nonexistent'");
  EXPECT_NE(pw.code, 0);
  EXPECT_NE(pw.err.find("password"), std::string::npos) << pw.err;
  EXPECT_EQ(pw.err.find("Pa55-Secret"), std::string::npos) << pw.err;
  Ran nowhere = Izde("migrate --from " + Path("vault") +
                     " --to 'postgresql://izde@/nodb?host=/nonexistent-dir&port=5999'");
  EXPECT_NE(nowhere.code, 0);
  EXPECT_NE(nowhere.err.find("cannot connect to the PostgreSQL store"), std::string::npos)
      << nowhere.err;
  EXPECT_TRUE(fs::exists(dir_ / "vault/vault.db"));
  EXPECT_FALSE(fs::exists(dir_ / "vault/store"));
  Ran both = Izde("migrate --from " + Path("vault") + " --to " + Path("other"));
  EXPECT_NE(both.code, 0);
  EXPECT_NE(both.err.find("postgresql://"), std::string::npos) << both.err;
}

}  // namespace
}  // namespace izde::cli
