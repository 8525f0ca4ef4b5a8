// `izde publish` end to end: a synthetic vault is published, and the published bundle is
// checked by the real `izde verify` with nothing but the site's files.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli/cli_test_support.h"

namespace izde::cli {
namespace {

class PublishCli : public IzdeBinaryTest {
 protected:
  std::string Env() {
    Write("pass", "publish test passphrase\n");
    return "IZDE_VAULT=" + Path("v") + " IZDE_USER=admin IZDE_PASSPHRASE_FILE=" + Path("pass");
  }
};

TEST_F(PublishCli, PublishesAVaultThatVerifiesFromTheSiteAlone) {
  const std::string env = Env();
  ASSERT_EQ(RunIzde(env, "init --kdf-cost test-only-minimum").code, 0);
  ASSERT_EQ(RunIzde(env, "--quiet demo --people 60").code, 0);
  auto pub = RunIzde(env, "--json publish --out " + Path("site") + " --languages en,ug");
  ASSERT_EQ(pub.code, 0) << pub.err;
  auto summary = nlohmann::json::parse(pub.out);
  EXPECT_GT(summary["people"].get<int>(), 0);
  EXPECT_EQ(summary["verified_records"], summary["records"]);
  EXPECT_TRUE(std::filesystem::exists(Path("site/ug/index.html")));
  EXPECT_FALSE(std::filesystem::exists(Path("site/kk/index.html")));
  EXPECT_TRUE(std::filesystem::exists(Path("site/data/izde-open-data.xlsx")));

  // A journalist's check: the site's bundle and key, no vault.
  auto verify = RunIzde(
      "", "verify " + Path("site/proof/bundle.json") + " --key " + Path("site/proof/log.pub"));
  EXPECT_EQ(verify.code, 0) << verify.err;
  EXPECT_NE(verify.out.find("OK: "), std::string::npos) << verify.out;

  // A policy with a misspelt field is refused, naming the line; nothing is written.
  Write("publish.toml", "[person]\nfields = [\"names\",\n \"hometwn\"]\n");
  auto bad = RunIzde(env, "publish --out " + Path("site2") + " --policy " + Path("publish.toml"));
  EXPECT_NE(bad.code, 0);
  EXPECT_NE(bad.err.find("publish.toml:3: unknown field 'hometwn' of person"), std::string::npos)
      << bad.err;
  EXPECT_FALSE(std::filesystem::exists(Path("site2")));

  // The default policy, written out, publishes the same.
  ASSERT_EQ(RunIzde(env, "publish --write-policy " + Path("default.toml")).code, 0);
  auto again = RunIzde(env, "--json publish --out " + Path("site") + " --languages en --policy " +
                                Path("default.toml"));
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(nlohmann::json::parse(again.out)["records"], summary["records"]);
  // The new site replaced the old one, which a background `rm` deletes: nothing of it is
  // left beside the site for long, and nothing of the new one is missing.
  EXPECT_TRUE(std::filesystem::exists(Path("site/en/index.html")));
  EXPECT_FALSE(std::filesystem::exists(Path("site/ug/index.html")));
  auto leftovers = [&] {
    size_t n = 0;
    for (const auto& e : std::filesystem::directory_iterator(Path("")))
      n += e.path().filename().string().rfind(".site.izde-", 0) == 0;
    return n;
  };
  for (int i = 0; i < 300 && leftovers() > 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(leftovers(), 0u);
}

}  // namespace
}  // namespace izde::cli
