// Key recovery end to end through the izde binary: trustees make keys, the coordinator
// splits, two trustees open their shares, and a new passphrase opens the vault.
#include "cli/cli_test_support.h"

namespace izde::cli {
namespace {

class RecoveryCli : public IzdeBinaryTest {
 protected:
  Ran Izde(const std::string& env, const std::string& args) {
    return RunIzde(env, "--vault " + Path("vault") + " " + args);
  }
};

TEST_F(RecoveryCli, TwoOfThreeTrusteesGiveANewPassphrase) {
  std::string pass = Write("pass", "the lost passphrase\n");
  std::string tpass = Write("tpass", "a trustee passphrase\n");
  std::string newpass = Write("newpass", "a brand new passphrase\n");
  ASSERT_EQ(Izde("IZDE_PASSPHRASE_FILE=" + pass, "init --kdf-cost test-only-minimum").code, 0);
  Ran r = Izde("IZDE_PASSPHRASE_FILE=" + pass, "add person --id P-1 --name 'Ilham Toxti'");
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* t : {"aigerim", "bolat", "dilnaz"}) {
    r = Izde("", std::string("keys trustee-keygen --kdf-cost test-only-minimum --name ") + t +
                     " --out " + Path(t) + " --new-passphrase-file " + tpass);
    ASSERT_EQ(r.code, 0) << r.err;
  }
  r = Izde("IZDE_PASSPHRASE_FILE=" + pass,
           "keys split --threshold 2 --to " + Path("shares") + " --trustee " + Path("aigerim.pub") +
               " --trustee " + Path("bolat.pub") + " --trustee " + Path("dilnaz.pub"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("any 2 of them"), std::string::npos) << r.out;
  // Bolat cannot open Aigerim's share.
  r = Izde("", "keys open-share " + Path("shares/share-1-aigerim.izshare") + " --trustee-key " +
                   Path("bolat.key") + " --key-passphrase-file " + tpass + " --out " + Path("x"));
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("another trustee"), std::string::npos) << r.err;
  r = Izde("", "keys open-share " + Path("shares/share-1-aigerim.izshare") + " --trustee-key " +
                   Path("aigerim.key") + " --key-passphrase-file " + tpass + " --out " +
                   Path("a.share"));
  ASSERT_EQ(r.code, 0) << r.err;
  r = Izde("", "keys open-share " + Path("shares/share-3-dilnaz.izshare") + " --trustee-key " +
                   Path("dilnaz.key") + " --key-passphrase-file " + tpass + " --out " +
                   Path("d.share"));
  ASSERT_EQ(r.code, 0) << r.err;
  // A damaged copy of a third share is named and left aside.
  std::string damaged = Slurp(dir_ / "a.share");
  damaged[damaged.find("data ") + 7] ^= 1;
  Write("bad.share", damaged);
  r = Izde("", "keys recover --share " + Path("a.share") + " --share " + Path("bad.share") +
                   " --share " + Path("d.share") + " --new-user rescued --new-passphrase-file " +
                   newpass);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find(Path("bad.share") + ": the share is damaged"), std::string::npos) << r.err;
  r = Izde("IZDE_PASSPHRASE_FILE=" + newpass, "--user rescued --json show P-1");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Ilham Toxti"), std::string::npos);
}

}  // namespace
}  // namespace izde::cli
