#include "server/listen_options.h"

#include <gtest/gtest.h>

namespace izde::server {
namespace {

TEST(ListenOptions, ParsesAddressAndPort) {
  ListenOptions o;
  ASSERT_TRUE(ParseListenAddress("127.0.0.1:9000", &o).ok());
  EXPECT_EQ(o.host, "127.0.0.1");
  EXPECT_EQ(o.port, 9000);
  ASSERT_TRUE(ParseListenAddress("[::1]:0", &o).ok());
  EXPECT_EQ(o.host, "::1");
  EXPECT_EQ(o.port, 0);
  for (const char* bad :
       {"127.0.0.1", "127.0.0.1:", ":80", "host:99999", "::1:80", "[::1]80", "127.0.0.1:8o"})
    EXPECT_FALSE(ParseListenAddress(bad, &o).ok()) << bad;
}

TEST(ListenOptions, KnowsLoopback) {
  for (const char* h : {"127.0.0.1", "127.1.2.3", "::1", "localhost"})
    EXPECT_TRUE(IsLoopback(h)) << h;
  for (const char* h : {"0.0.0.0", "192.168.1.5", "::", "example.org", "128.0.0.1"})
    EXPECT_FALSE(IsLoopback(h)) << h;
}

TEST(ListenOptions, RefusesANetworkAddressWithoutTls) {
  ListenOptions o;
  o.host = "0.0.0.0";
  Status s = CheckListenOptions(o);
  EXPECT_EQ(s.code(), Status::Code::kInvalidInput);
  EXPECT_NE(s.message().find("without TLS"), std::string::npos);
  o.insecure_i_know = true;
  EXPECT_TRUE(CheckListenOptions(o).ok());
  o.insecure_i_know = false;
  o.tls_cert = "cert.pem";
  o.tls_key = "key.pem";
  EXPECT_TRUE(CheckListenOptions(o).ok());
  o.tls_key.clear();
  EXPECT_FALSE(CheckListenOptions(o).ok());
  EXPECT_TRUE(CheckListenOptions(ListenOptions{}).ok());
}

}  // namespace
}  // namespace izde::server
