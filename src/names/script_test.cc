#include "names/script.h"

#include <gtest/gtest.h>

namespace izde::names {
namespace {

TEST(DetectScript, EachScript) {
  EXPECT_EQ(DetectScript("qalida"), Script::kLatin);
  EXPECT_EQ(DetectScript("қалида"), Script::kCyrillic);
  EXPECT_EQ(DetectScript("ئىلھام"), Script::kArabic);
  EXPECT_EQ(DetectScript("阿克提汗"), Script::kHan);
  EXPECT_EQ(DetectScript("ελένη"), Script::kOther);
}

TEST(DetectScript, MixedToken) {
  EXPECT_EQ(DetectScript("qалида"), Script::kMixed);
  const auto runs = SplitByScript("qалида");
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].script, Script::kLatin);
  EXPECT_EQ(runs[1].text, "алида");
}

TEST(DetectScript, MarksJoinTheirBase) {
  EXPECT_EQ(DetectScript("sen'et"), Script::kLatin);
  EXPECT_EQ(DetectScript("'ali"), Script::kLatin);
}

TEST(LooksUyghurCyrillic, ByTheLetterZhe) {
  EXPECT_TRUE(LooksUyghurCyrillic("җамал"));
  EXPECT_FALSE(LooksUyghurCyrillic("жамал"));
}

}  // namespace
}  // namespace izde::names
