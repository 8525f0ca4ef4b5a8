// End-to-end tests of the ledger commands as a group, a partner abroad and a journalist
// run them: izde log status/checkpoint/prove/cosign/tsa, izde export --public --bundle,
// izde verify BUNDLE and izde verify --vault. Every failure must name what broke.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/cli_test_support.h"
#include "ledger/test_tsa.h"

namespace izde::cli {
namespace {

namespace fs = std::filesystem;

// Values no bundle may contain: consent withholds them.
const std::vector<std::string> kCanaries = {"CANARY-HIDDEN-NAME", "CANARY-NOTES-TEXT",
                                            "CANARY-WITNESS-CONTACT", "CANARY-TRANSCRIPT",
                                            "CANARY-UNCONSENTED-PERSON"};

class LogCli : public IzdeBinaryTest {
 protected:
  void SetUp() override {
    IzdeBinaryTest::SetUp();
    std::ofstream(dir_ / "pass") << "a test passphrase\n";
  }
  Ran Izde(const std::string& args) {
    return RunIzde("IZDE_PASSPHRASE_FILE=" + Path("pass"), "--vault " + Path("vault") + " " + args);
  }
  // What a journalist runs: no vault, no passphrase.
  Ran Outsider(const std::string& args) { return RunIzde("", args); }

  // A vault with consented and unconsented records and one consented evidence file.
  void Populate() {
    ASSERT_EQ(Izde("init --kdf-cost test-only-minimum").code, 0);
    Write("clip.mp4", std::string(4000, 'v'));
    Ran r = Izde("add evidence " + Path("clip.mp4") + " --id EV-1 --media-type video/mp4");
    ASSERT_EQ(r.code, 0) << r.err;
    nlohmann::json records = nlohmann::json::array();
    records.push_back({{"type", "person"},
                       {"id", "P-1"},
                       {"names", {{{"text", "Published Aygul"}}}},
                       {"gender", "female"},
                       {"notes", kCanaries[1]}});
    records.push_back({{"type", "person"},
                       {"id", "P-2"},
                       {"names", {{{"text", kCanaries[0]}}}},
                       {"gender", "male"}});
    records.push_back({{"type", "person"}, {"id", "P-3"}, {"names", {{{"text", kCanaries[4]}}}}});
    records.push_back(
        {{"type", "witness"}, {"id", "W-1"}, {"name", "W"}, {"contact", kCanaries[2]}});
    records.push_back(
        {{"type", "testimony"},
         {"id", "T-1"},
         {"witness", "W-1"},
         {"people", {"P-1"}},
         {"evidence", {"EV-1"}},
         {"consent",
          {{"name", true}, {"face_voice", true}, {"testimony_text", false}, {"id_number", false}}},
         {"transcript", kCanaries[3]}});
    records.push_back({{"type", "testimony"},
                       {"id", "T-2"},
                       {"people", {"P-2"}},
                       {"consent",
                        {{"name", false},
                         {"face_voice", false},
                         {"testimony_text", false},
                         {"id_number", true}}}});
    r = Izde("import " + Write("records.json", nlohmann::json{{"records", records}}.dump()));
    ASSERT_EQ(r.code, 0) << r.err;
  }
  std::string LogKey() {
    Ran r = Izde("--json log status");
    return nlohmann::json::parse(r.out)["log_key"].get<std::string>();
  }
  static void Flip(const fs::path& p, size_t at) {
    std::string s = Slurp(p);
    s[at] = static_cast<char>(s[at] ^ 0x01);
    std::ofstream(p, std::ios::binary | std::ios::trunc) << s;
  }
};

TEST_F(LogCli, StatusCheckpointAndProve) {
  Populate();
  Ran r = Izde("--json log status");
  ASSERT_EQ(r.code, 0) << r.err;
  auto status = nlohmann::json::parse(r.out);
  // EV-1's record and its file hash, six imported records: eight leaves.
  EXPECT_EQ(status["size"], 8);
  EXPECT_EQ(status["checkpoint_signatures"], 1);
  r = Izde("log checkpoint");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("izde.vault/", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("\n8\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\xE2\x80\x94 izde.vault/"), std::string::npos);  // — signature line

  r = Izde("log prove P-1 --out " + Path("p1.proof"));
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string proof = Slurp(dir_ / "p1.proof");
  EXPECT_EQ(proof.rfind("c2sp.org/tlog-proof@v1\nextra ", 0), 0u) << proof;
  EXPECT_NE(proof.find("\nindex "), std::string::npos);
  r = Izde("log prove P-404");
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("record 'P-404' is not in the log"), std::string::npos) << r.err;
}

TEST_F(LogCli, PartnerCosignsAndVerifierRequiresIt) {
  Populate();
  Write("log.pub", LogKey() + "\n");
  Ran r = Izde("log keygen almaty.example/witness --out " + Path("w.key"));
  ASSERT_EQ(r.code, 0) << r.err;
  r = Izde("log keygen berlin.example/witness --out " + Path("other.key"));
  ASSERT_EQ(r.code, 0) << r.err;
  Write("cp1", Izde("log checkpoint").out);
  r = Izde("log cosign " + Path("cp1") + " --key " + Path("w.key") + " --log-key " +
           Path("log.pub"));
  ASSERT_EQ(r.code, 0) << r.err;
  r = Izde("log add-cosignature " + Path("cp1.cosigned") + " --cosigner-key " + Path("w.key.pub"));
  ASSERT_EQ(r.code, 0) << r.err;

  // The log grows; the partner needs a mirror to check the new checkpoint extends the old.
  ASSERT_EQ(Izde("add person --id P-9 --name Someone").code, 0);
  Write("cp2", Izde("log checkpoint").out);
  r = Izde("log cosign " + Path("cp2") + " --key " + Path("w.key") + " --log-key " +
           Path("log.pub"));
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("give --log MIRROR"), std::string::npos) << r.err;
  fs::copy(dir_ / "vault/log", dir_ / "mirror", fs::copy_options::recursive);
  r = Izde("log cosign " + Path("cp2") + " --key " + Path("w.key") + " --log-key " +
           Path("log.pub") + " --log " + Path("mirror"));
  ASSERT_EQ(r.code, 0) << r.err;
  ASSERT_EQ(
      Izde("log add-cosignature " + Path("cp2.cosigned") + " --cosigner-key " + Path("w.key.pub"))
          .code,
      0);
  // Rolling back: the partner refuses the older checkpoint.
  r = Izde("log cosign " + Path("cp1") + " --key " + Path("w.key") + " --log-key " +
           Path("log.pub"));
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("a rollback"), std::string::npos) << r.err;

  ASSERT_EQ(Izde("export --public --bundle " + Path("b.json")).code, 0);
  r = Outsider("verify " + Path("b.json") + " --key " + Path("log.pub") + " --cosigner-key " +
               Path("w.key.pub") + " --require-cosigners 1");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("cosigned by 1 partners"), std::string::npos) << r.out;
  r = Outsider("verify " + Path("b.json") + " --key " + Path("log.pub") + " --cosigner-key " +
               Path("other.key.pub") + " --require-cosigners 1");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("cosign"), std::string::npos) << r.err;
  r = Outsider("verify " + Path("b.json") + " --key " + Path("log.pub") + " --cosigner-key " +
               Path("w.key.pub") + " --require-cosigners 2");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--require-cosigners 2"), std::string::npos) << r.err;
}

TEST_F(LogCli, PublicBundleVerifiesAloneAndHoldsNoCanary) {
  Populate();
  fs::create_directories(dir_ / "out");
  Ran r = Izde("export --public --bundle " + Path("out/b.json") + " --with-files");
  ASSERT_EQ(r.code, 0) << r.err;
  r = Izde("export --public");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--public and --bundle"), std::string::npos) << r.err;
  // The old command form writes the same kind of bundle.
  ASSERT_EQ(Izde("publish-bundle --out " + Path("old.json")).code, 0);

  // A clean place with only the bundle, its files and the key; the vault is gone.
  fs::rename(dir_ / "out", dir_ / "clean");
  fs::remove_all(dir_ / "vault");
  for (const auto& e : fs::recursive_directory_iterator(dir_ / "clean")) {
    if (!e.is_regular_file()) continue;
    const std::string bytes = Slurp(e.path());
    for (const auto& c : kCanaries)
      EXPECT_EQ(bytes.find(c), std::string::npos) << c << " in " << e.path();
  }
  const std::string bundle = Slurp(dir_ / "clean/b.json");
  EXPECT_NE(bundle.find("Published Aygul"), std::string::npos);
  r = Outsider("verify " + Path("clean/b.json") + " --key " + Path("clean/b.json.pub"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("OK: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 evidence files match"), std::string::npos) << r.out;
  r = Outsider("verify " + Path("old.json") + " --key " + Path("old.json.pub"));
  EXPECT_EQ(r.code, 0) << r.err;

  // Each artefact tampered with, each failure named.
  struct Case {
    std::string what, needle;
    size_t offset;  // of the flipped byte, from the needle's start
    std::string expect;
  };
  const std::vector<Case> cases = {
      {"a revealed value", "Published Aygul", 2, "record P-1 version 1"},
      {"the checkpoint's signature", "\xE2\x80\x94 izde.vault/", 20, "the bundle's checkpoint"},
      {"an inclusion proof's index", "\\nindex ", 8, "inclusion proof"},
      {"the log key", "\"log_key\": \"izde.vault/", 24, "log_key"},
  };
  for (const auto& c : cases) {
    std::string tampered = bundle;
    size_t at = tampered.find(c.needle);
    ASSERT_NE(at, std::string::npos) << c.needle;
    at += c.offset;
    tampered[at] = static_cast<char>(tampered[at] ^ 0x01);
    Write("tampered.json", tampered);
    r = Outsider("verify " + Path("tampered.json") + " --key " + Path("clean/b.json.pub"));
    EXPECT_EQ(r.code, 1) << c.what;
    EXPECT_NE(r.err.find(c.expect), std::string::npos) << c.what << ": " << r.err;
  }
  const fs::path file = *fs::directory_iterator(dir_ / "clean/b.json.files");
  Flip(file, 100);
  r = Outsider("verify " + Path("clean/b.json") + " --key " + Path("clean/b.json.pub"));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("evidence EV-1: the file"), std::string::npos) << r.err;
  fs::remove(file);
  r = Outsider("verify " + Path("clean/b.json") + " --key " + Path("clean/b.json.pub"));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("evidence EV-1: its file: cannot read"), std::string::npos) << r.err;
  // A key that is not the log's.
  Write("stranger.pub",
        "izde.vault/stranger+00000000+AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n");
  r = Outsider("verify " + Path("old.json") + " --key " + Path("stranger.pub"));
  EXPECT_NE(r.code, 0);
}

TEST_F(LogCli, VerifyVaultNamesEachTamperedArtefact) {
  Populate();
  Ran r = Izde("verify --vault");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("OK: 7 record versions, 1 evidence files, 8 log entries"), std::string::npos)
      << r.out;
  fs::copy(dir_ / "vault", dir_ / "pristine", fs::copy_options::recursive);
  auto restore = [&] {
    fs::remove_all(dir_ / "vault");
    fs::copy(dir_ / "pristine", dir_ / "vault", fs::copy_options::recursive);
  };
  struct Case {
    std::string file;
    size_t from_end;
    std::string expect;
  };
  std::string blob;
  for (const auto& e : fs::recursive_directory_iterator(dir_ / "vault/blobs"))
    if (e.is_regular_file()) blob = fs::relative(e.path(), dir_ / "vault").string();
  const std::vector<Case> cases = {
      {"log/tile/0/000.p/8", 5, "tile/0/000.p/8"},
      {"log/tile/entries/000.p/8", 5, "tile/entries/000.p/8"},
      {"log/checkpoint", 10, "log/checkpoint"},
      {"log/checkpoints/00000000000000000002", 10, "log/checkpoints/00000000000000000002"},
      {blob, 20, "evidence EV-1 version 1: blob"},
  };
  for (const auto& c : cases) {
    restore();
    const fs::path p = dir_ / "vault" / c.file;
    ASSERT_TRUE(fs::exists(p)) << c.file;
    Flip(p, fs::file_size(p) - c.from_end);
    r = Izde("verify --vault");
    EXPECT_EQ(r.code, 1) << c.file;
    EXPECT_NE(r.err.find(c.expect), std::string::npos) << c.file << ":\n" << r.err;
  }
  // Rolled back: the log of an older checkpoint, with the checkpoint to match.
  restore();
  for (const char* f : {"tile/0/000.p/8", "tile/entries/000.p/8"})
    fs::remove(dir_ / "vault/log" / f);
  r = Izde("verify --vault");
  EXPECT_NE(r.code, 0);
}

TEST_F(LogCli, TimestampAuthorityStampsCheckpointsAndBundles) {
  ledger::testing::LocalTsa tsa;
  ASSERT_TRUE(tsa.ok()) << "the local openssl ts authority did not start";
  Populate();
  Ran r = Izde("log tsa " + tsa.url());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--cert"), std::string::npos) << r.err;
  r = Izde("log tsa http://127.0.0.1:1/tsa --cert " + tsa.root_pem().string());
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("did not answer"), std::string::npos) << r.err;
  r = Izde("log tsa " + tsa.url() + " --cert " + tsa.root_pem().string());
  ASSERT_EQ(r.code, 0) << r.err;
  ASSERT_EQ(Izde("add person --id P-10 --name Other").code, 0);
  r = Izde("log status");
  EXPECT_NE(r.out.find("timestamped 20"), std::string::npos) << r.out;
  r = Izde("verify --vault");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("timestamped)"), std::string::npos) << r.out;

  ASSERT_EQ(Izde("export --public --bundle " + Path("b.json")).code, 0);
  r = Outsider("verify " + Path("b.json") + " --key " + Path("b.json.pub") + " --tsa-cert " +
               tsa.root_pem().string() + " --require-timestamp");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("RFC 3161 timestamp by"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("was not pinned"), std::string::npos) << r.out;
  r = Outsider("verify " + Path("b.json") + " --key " + Path("b.json.pub"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("timestamp authority was not pinned"), std::string::npos) << r.out;

  ledger::testing::LocalTsa stranger;
  ASSERT_TRUE(stranger.ok());
  r = Outsider("verify " + Path("b.json") + " --key " + Path("b.json.pub") + " --tsa-cert " +
               stranger.root_pem().string());
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("the bundle's timestamp"), std::string::npos) << r.err;

  ASSERT_EQ(Izde("log tsa --off").code, 0);
  ASSERT_EQ(Izde("add person --id P-11 --name Third").code, 0);
  ASSERT_EQ(Izde("export --public --bundle " + Path("c.json")).code, 0);
  r = Outsider("verify " + Path("c.json") + " --key " + Path("c.json.pub") +
               " --require-timestamp");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("no RFC 3161 timestamp"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace izde::cli
