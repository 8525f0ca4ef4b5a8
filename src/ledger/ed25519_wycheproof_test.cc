// Every Wycheproof Ed25519 vector against Ed25519Verify, the verify all notes use.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "ledger/ed25519.h"
#include "ledger/test_data.h"

namespace izde::ledger {
namespace {

std::vector<std::uint8_t> FromHex(const std::string& s) {
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i + 1 < s.size(); i += 2) {
    out.push_back(static_cast<std::uint8_t>(std::stoi(s.substr(i, 2), nullptr, 16)));
  }
  return out;
}

TEST(Ed25519, EveryWycheproofVector) {
  std::ifstream in(testing::SharedDir() / "data/vectors/wycheproof/ed25519_test.json");
  ASSERT_TRUE(in.good());
  auto doc = nlohmann::json::parse(in);
  int run = 0;
  for (const auto& group : doc["testGroups"]) {
    auto pk = FromHex(group["publicKey"]["pk"].get<std::string>());
    ASSERT_EQ(pk.size(), kEd25519PublicKeySize);
    Ed25519PublicKey key;
    std::copy(pk.begin(), pk.end(), key.begin());
    for (const auto& t : group["tests"]) {
      auto msg = FromHex(t["msg"].get<std::string>());
      auto sig = FromHex(t["sig"].get<std::string>());
      const std::string result = t["result"].get<std::string>();
      ASSERT_NE(result, "acceptable") << "no acceptable cases expected in this file";
      EXPECT_EQ(Ed25519Verify(key, msg, sig), result == "valid") << "tcId " << t["tcId"];
      ++run;
    }
  }
  EXPECT_EQ(run, doc["numberOfTests"].get<int>());
}

}  // namespace
}  // namespace izde::ledger
