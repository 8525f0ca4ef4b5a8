#include "ledger/base64.h"

#include <gtest/gtest.h>

#include "ledger/sha256.h"

namespace izde::ledger {
namespace {

TEST(Base64, Rfc4648Examples) {
  const char* plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
  const char* coded[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
  for (int i = 0; i < 7; ++i) {
    std::string_view p(plain[i]);
    EXPECT_EQ(Base64Encode(AsBytes(p)), coded[i]);
    auto back = Base64Decode(coded[i]);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(std::string(back->begin(), back->end()), p);
  }
}

TEST(Base64, RejectsEverythingNonCanonical) {
  for (const char* bad : {"Zg=", "Zg", "Zh==", "Zm9=", "Z===", "====", "Zm9v\n", " Zm9v", "Zm-v",
                          "Zm_v", "Zg==Zg==", "Zm=v"}) {
    EXPECT_FALSE(Base64Decode(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace izde::ledger
