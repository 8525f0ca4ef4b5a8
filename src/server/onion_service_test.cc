#include "server/onion_service.h"

#include <gtest/gtest.h>

namespace izde::server {
namespace {

TEST(OnionService, TorrcPointsAtTheLoopbackAddress) {
  ListenOptions l;
  ASSERT_TRUE(ParseListenAddress("127.0.0.1:8080", &l).ok());
  auto t = TorrcLines(l, "/var/lib/tor/izde");
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_NE(t->find("\nHiddenServiceDir /var/lib/tor/izde/\n"), std::string::npos) << *t;
  EXPECT_NE(t->find("\nHiddenServicePort 80 127.0.0.1:8080\n"), std::string::npos) << *t;
  ASSERT_TRUE(ParseListenAddress("[::1]:9000", &l).ok());
  EXPECT_NE(TorrcLines(l, kDefaultOnionDir)->find("HiddenServicePort 80 [::1]:9000\n"),
            std::string::npos);
}

TEST(OnionService, RefusesWhatWouldExposeTheServer) {
  ListenOptions l;
  ASSERT_TRUE(ParseListenAddress("0.0.0.0:8080", &l).ok());
  auto open = TorrcLines(l, kDefaultOnionDir);
  ASSERT_FALSE(open.ok());
  EXPECT_NE(open.status().message().find("loopback"), std::string::npos);
  ASSERT_TRUE(ParseListenAddress("127.0.0.1:0", &l).ok());
  EXPECT_FALSE(TorrcLines(l, kDefaultOnionDir).ok());
  ASSERT_TRUE(ParseListenAddress("127.0.0.1:8080", &l).ok());
  EXPECT_FALSE(TorrcLines(l, "relative/dir").ok());
  EXPECT_FALSE(TorrcLines(l, "/var/lib/tor/a b").ok());
  EXPECT_FALSE(TorrcLines(l, "/var/lib/tor/x\nHiddenServicePort 80 0.0.0.0:22").ok());
}

}  // namespace
}  // namespace izde::server
