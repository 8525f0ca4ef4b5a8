#include "ledger/timestamp.h"

#include <gtest/gtest.h>

#include <ctime>

#include "ledger/test_tsa.h"
#include "ledger/timestamp_authority.h"

namespace izde::ledger {
namespace {

constexpr char kBody[] = "izde.example/test-log\n7\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";

class TimestampTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { tsa_ = new testing::LocalTsa(); }
  static void TearDownTestSuite() { delete tsa_; }
  void SetUp() override {
    ASSERT_TRUE(tsa_->ok()) << "the local openssl ts authority did not start";
    tsa_->set_mode(testing::LocalTsa::Mode::kNormal);
  }
  TimestampAuthority Authority() const { return {tsa_->url(), tsa_->RootPem(), 10}; }

  static testing::LocalTsa* tsa_;
};
testing::LocalTsa* TimestampTest::tsa_ = nullptr;

TEST_F(TimestampTest, LocalAuthorityStampsAndTheTokenVerifies) {
  const std::int64_t before = std::time(nullptr);
  auto token = RequestTimestamp(Authority(), kBody);
  ASSERT_TRUE(token.ok()) << token.status().message();
  auto v = VerifyTimestampToken(*token, kBody, tsa_->RootPem());
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_GE(v->time, before - 2);
  EXPECT_LE(v->time, std::time(nullptr) + 2);
  EXPECT_NE(v->authority.find("izde test TSA"), std::string::npos) << v->authority;
  EXPECT_FALSE(v->serial.empty());
  EXPECT_EQ(v->time_text.size(), 20u);
}

TEST_F(TimestampTest, OtherDataOrAnotherAuthorityIsRejected) {
  auto token = RequestTimestamp(Authority(), kBody);
  ASSERT_TRUE(token.ok()) << token.status().message();
  auto other = VerifyTimestampToken(*token, "izde.example/test-log\n8\n", tsa_->RootPem());
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.status().message().find("other data"), std::string::npos);

  testing::LocalTsa stranger;  // a second authority with its own root
  ASSERT_TRUE(stranger.ok());
  auto untrusted = VerifyTimestampToken(*token, kBody, stranger.RootPem());
  ASSERT_FALSE(untrusted.ok());
  EXPECT_NE(untrusted.status().message().find("does not verify"), std::string::npos)
      << untrusted.status().message();
  EXPECT_FALSE(VerifyTimestampToken(*token, kBody, "no certificate here").ok());
}

TEST_F(TimestampTest, FlippingAnyByteOfTheTokenFails) {
  auto token = RequestTimestamp(Authority(), kBody);
  ASSERT_TRUE(token.ok()) << token.status().message();
  const std::string root = tsa_->RootPem();
  int accepted = 0;
  for (std::size_t i = 0; i < token->size(); ++i) {
    std::vector<std::uint8_t> t = *token;
    t[i] ^= 0x01;
    auto v = VerifyTimestampToken(t, kBody, root);
    if (v.ok()) {
      ++accepted;
      ADD_FAILURE() << "a token with byte " << i << " flipped still verifies";
    } else {
      EXPECT_FALSE(v.status().message().empty());
    }
  }
}

TEST_F(TimestampTest, RefusalsAndNonsenseAreNamed) {
  tsa_->set_mode(testing::LocalTsa::Mode::kRefuse);
  auto refused = RequestTimestamp(Authority(), kBody);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("refused"), std::string::npos)
      << refused.status().message();
  tsa_->set_mode(testing::LocalTsa::Mode::kGarbage);
  auto garbage = RequestTimestamp(Authority(), kBody);
  ASSERT_FALSE(garbage.ok());
  EXPECT_NE(garbage.status().message().find("not a DER TimeStampResp"), std::string::npos);

  auto unreachable = RequestTimestamp({"http://127.0.0.1:1/tsa", tsa_->RootPem(), 2}, kBody);
  ASSERT_FALSE(unreachable.ok());
  EXPECT_NE(unreachable.status().message().find("did not answer"), std::string::npos);
  EXPECT_FALSE(CheckTimestampUrl("ftp://example.org/").ok());
  EXPECT_FALSE(CheckTimestampUrl("http://").ok());
  EXPECT_TRUE(CheckTimestampUrl("https://freetsa.example/tsr").ok());
}

}  // namespace
}  // namespace izde::ledger
