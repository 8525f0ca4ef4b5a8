#include "names/han_reading.h"

#include <gtest/gtest.h>

namespace izde::names {
namespace {

std::string Han(std::string_view s) {
  auto r = TurkicReadingOfHan(s);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? r.value() : "";
}

TEST(TurkicReadingOfHan, CommonTranscriptions) {
  EXPECT_EQ(Han("买买提"), "memeti");
  EXPECT_EQ(Han("吐尔逊"), "tursun");
  EXPECT_EQ(Han("古丽"), "guli");
  EXPECT_EQ(Han("努尔兰"), "nurlan");
  EXPECT_EQ(Han("阿克提汗"), "aktixan");
  EXPECT_EQ(Han("别克"), "bek");
}

// 扎 (zha) writes a Turkic z (阿扎马提 Azamat, 扎克尔 Zakir); a zh/j, which it also
// writes, is still met through the plain pinyin, the token's alternative key.
TEST(TurkicReadingOfHan, ZhaIsZ) {
  EXPECT_EQ(Han("阿扎马提"), "azamati");
  EXPECT_EQ(Han("扎克尔"), "zakr");
}

TEST(TurkicReadingOfHan, CharactersOutsideTheTableFallBackToPinyin) {
  // 张 and 小 are not transcription characters: read from their pinyin, the initial
  // respelled (zh -> j) or the syllable read as other characters with it are (xiao).
  EXPECT_EQ(Han("张"), "jang");
  EXPECT_EQ(Han("小"), "sho");
}

TEST(TurkicReadingOfPinyin, SplitsTranscriptionSyllables) {
  EXPECT_EQ(TurkicReadingOfPinyin("maimaiti"), "memeti");
  EXPECT_EQ(TurkicReadingOfPinyin("tuerxun"), "tursun");
  EXPECT_EQ(TurkicReadingOfPinyin("aketihan"), "aktixan");
}

TEST(TurkicReadingOfPinyin, TurkicSpellingsAreNotPinyin) {
  EXPECT_EQ(TurkicReadingOfPinyin("tursun"), std::nullopt);
  EXPECT_EQ(TurkicReadingOfPinyin("memet"), std::nullopt);
  EXPECT_EQ(TurkicReadingOfPinyin("akytkhan"), std::nullopt);
  EXPECT_EQ(TurkicReadingOfPinyin("abc"), std::nullopt);     // too short
  EXPECT_EQ(TurkicReadingOfPinyin("qalīda"), std::nullopt);  // not plain ASCII
}

TEST(HanTable, IsCompiledIn) { EXPECT_GT(HanTableSize(), 200); }

}  // namespace
}  // namespace izde::names
