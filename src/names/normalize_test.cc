#include "names/normalize.h"

#include <gtest/gtest.h>

namespace izde::names {
namespace {

std::string Norm(std::string_view s) {
  auto r = Normalize(s);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? r.value() : "";
}

TEST(Normalize, FoldsCaseAndSpaces) {
  EXPECT_EQ(Norm("  Qalida   AKYTKHAN "), "qalida akytkhan");
  EXPECT_EQ(Norm("Қалида Ақытхан"), "қалида ақытхан");
}

TEST(Normalize, TurkishDottedCapitalIBecomesPlainI) { EXPECT_EQ(Norm("İlham"), "ilham"); }

TEST(Normalize, ComposesCombiningMarks) {
  EXPECT_EQ(Norm("Mu\xCC\x88ller"), "m\xC3\xBCller");  // u + U+0308 -> ü
}

TEST(Normalize, StripsInvisibleAndBidiCharacters) {
  // zero-width space, RLO, LRM, word joiner, BOM
  EXPECT_EQ(Norm("Il\u200Bham\u202E \u200ETox\u2060ti\uFEFF"), "ilham toxti");
}

TEST(Normalize, StripsTatweel) { EXPECT_EQ(Norm("ئىلـــھام"), "ئىلھام"); }

TEST(Normalize, SeparatorsBecomeSpaces) {
  EXPECT_EQ(Norm("卡丽达·阿克提汗"), "卡丽达 阿克提汗");
  EXPECT_EQ(Norm("Tursunov, Nurlan"), "tursunov nurlan");
  EXPECT_EQ(Norm("Gul-Nur"), "gul nur");
}

TEST(Normalize, DropsEmojiDigitsAndPunctuation) {
  EXPECT_EQ(Norm("Nurlan 😀 (2) Tursun!"), "nurlan tursun");
}

TEST(Normalize, KeepsApostrophesInsideWords) { EXPECT_EQ(Norm("Sen'et"), "sen'et"); }

TEST(Normalize, RejectsInvalidUtf8) {
  auto r = Normalize("Nur\xC3\x28lan");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("UTF-8"), std::string::npos);
}

TEST(Normalize, RejectsEmptyAndLetterless) {
  EXPECT_FALSE(Normalize("").ok());
  EXPECT_FALSE(Normalize("  ·-- 123 😀").ok());
  EXPECT_FALSE(Normalize("\u0301").ok());  // a lone combining mark
}

TEST(Normalize, RejectsOverlongNames) {
  std::string long_name(10000, 'a');
  auto r = Normalize(long_name);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("at most"), std::string::npos);
  EXPECT_TRUE(Normalize(std::string(kMaxNameCodePoints, 'a')).ok());
}

TEST(Normalize, SingleCharacterIsAName) { EXPECT_EQ(Norm("A"), "a"); }

TEST(Tokens, SplitsAtSpaces) {
  EXPECT_EQ(Tokens("a bc  d"), (std::vector<std::string>{"a", "bc", "d"}));
  EXPECT_TRUE(Tokens("").empty());
}

}  // namespace
}  // namespace izde::names
