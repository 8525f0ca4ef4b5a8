// The backup commands end to end, through the izde binary: backup, verify without a
// key, wipe, restore, and the restored vault verifies.
#include <nlohmann/json.hpp>

#include "cli/cli_test_support.h"

namespace izde::cli {
namespace {

namespace fs = std::filesystem;

class BackupCli : public IzdeBinaryTest {
 protected:
  void SetUp() override {
    IzdeBinaryTest::SetUp();
    std::ofstream(dir_ / "pass") << "a test passphrase\n";
  }
  Ran Izde(const std::string& args, const std::string& vault = "vault") {
    return RunIzde("IZDE_PASSPHRASE_FILE=" + Path("pass"), "--vault " + Path(vault) + " " + args);
  }
};

TEST_F(BackupCli, BackupVerifyWipeRestore) {
  ASSERT_EQ(Izde("init --kdf-cost test-only-minimum").code, 0);
  Ran r = Izde("add person --id P-1 --name 'Қалида Ақытхан' --birth-date 'about 1975'");
  ASSERT_EQ(r.code, 0) << r.err;
  r = Izde("backup --to " + Path("mirror"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Backup snapshot 1 written"), std::string::npos) << r.out;
  ASSERT_EQ(Izde("add person --id P-2 --name 'Ilham Toxti'").code, 0);
  r = Izde("--json backup --to " + Path("mirror"));
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["snapshot"], 2);
  EXPECT_EQ(j["incremental"], true);
  EXPECT_EQ(j["new_versions"], 1);

  // A mirror checks it without a passphrase, with the key pinned.
  r = Izde("--json log status");
  ASSERT_EQ(r.code, 0) << r.err;
  std::string key = Write("vault.key", nlohmann::json::parse(r.out)["log_key"].get<std::string>());
  r = RunIzde("", "backup verify --from " + Path("mirror") + " --log-key " + key);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("OK: 2 snapshots"), std::string::npos) << r.out;

  fs::remove_all(dir_ / "vault");
  r = Izde("restore --from " + Path("mirror") + " --log-key " + key, "restored");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Restored snapshot 2"), std::string::npos) << r.out;
  r = Izde("verify --vault", "restored");
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  r = Izde("--json show P-1", "restored");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["names"][0]["text"], "Қалида Ақытхан");

  // A damaged chunk: verify fails, naming it.
  for (const auto& e : fs::recursive_directory_iterator(dir_ / "mirror" / "chunks"))
    if (e.is_regular_file()) {
      std::ofstream(e.path(), std::ios::binary | std::ios::app) << "x";
      break;
    }
  r = RunIzde("", "backup verify --from " + Path("mirror"));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("is damaged"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace izde::cli
