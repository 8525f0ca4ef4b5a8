#include "server/session.h"

#include <gtest/gtest.h>
#include <sodium.h>

namespace izde::server {
namespace {

using namespace std::chrono_literals;

class SessionTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_GE(sodium_init(), 0); }
};

TEST_F(SessionTest, SessionsHaveRandomIdsAndTokens) {
  SessionStore store;
  Session a = store.Create(), b = store.Create();
  EXPECT_EQ(a.id.size(), 64u);
  EXPECT_NE(a.id, b.id);
  EXPECT_NE(a.csrf, b.csrf);
  EXPECT_NE(a.id, a.csrf);
  EXPECT_TRUE(a.user.empty());
  ASSERT_TRUE(store.Find(a.id).has_value());
  EXPECT_EQ(store.Find(a.id)->csrf, a.csrf);
  EXPECT_FALSE(store.Find("not-a-session").has_value());
}

TEST_F(SessionTest, IdleSessionsExpire) {
  SessionStore store(10min);
  auto t = SessionStore::Clock::now();
  Session s = store.Create(t);
  EXPECT_TRUE(store.Find(s.id, t + 9min).has_value());
  EXPECT_TRUE(store.Find(s.id, t + 18min).has_value()) << "each use refreshes";
  EXPECT_FALSE(store.Find(s.id, t + 29min).has_value());
}

TEST_F(SessionTest, UnlockingRotatesTheIdAndLockingUnbindsEveryone) {
  SessionStore store;
  Session planted = store.Create();
  Session s = store.Rotate(planted.id, "admin");
  EXPECT_NE(s.id, planted.id);
  EXPECT_NE(s.csrf, planted.csrf);
  EXPECT_FALSE(store.Find(planted.id).has_value()) << "the pre-unlock id is dead";
  EXPECT_EQ(store.Find(s.id)->user, "admin");
  store.UnbindAll();
  EXPECT_TRUE(store.Find(s.id)->user.empty());
}

TEST_F(SessionTest, StoreIsBounded) {
  SessionStore store(1h, 3);
  auto t = SessionStore::Clock::now();
  Session first = store.Create(t);
  for (int i = 1; i <= 3; ++i) store.Create(t + std::chrono::seconds(i));
  EXPECT_EQ(store.size(), 3u);
  EXPECT_FALSE(store.Find(first.id, t + 5s).has_value()) << "the oldest went first";
}

TEST_F(SessionTest, TokensCompareExactly) {
  EXPECT_TRUE(TokensEqual("abc", "abc"));
  EXPECT_FALSE(TokensEqual("abc", "abd"));
  EXPECT_FALSE(TokensEqual("abc", "abcd"));
  EXPECT_FALSE(TokensEqual("", "")) << "an empty token never matches";
}

TEST_F(SessionTest, CookiesAreParsedAndIssuedStrictly) {
  EXPECT_EQ(CookieValue("a=1; izde_session=xyz; izde_lang=ug", "izde_session"), "xyz");
  EXPECT_EQ(CookieValue("a=1; izde_lang=ug", "izde_lang"), "ug");
  EXPECT_EQ(CookieValue("xizde_lang=ug", "izde_lang"), "");
  EXPECT_EQ(CookieValue("", "izde_lang"), "");
  std::string plain = SessionCookie("id1", false), tls = SessionCookie("id1", true);
  EXPECT_NE(plain.find("HttpOnly"), std::string::npos);
  EXPECT_NE(plain.find("SameSite=Strict"), std::string::npos);
  EXPECT_EQ(plain.find("Secure"), std::string::npos);
  EXPECT_NE(tls.find("; Secure"), std::string::npos);
}

}  // namespace
}  // namespace izde::server
