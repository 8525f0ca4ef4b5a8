#include "dates/calendar_words.h"

#include <gtest/gtest.h>

namespace izde::dates {
namespace {

TEST(CalendarWords, LowerCasesLatinRussianAndKazakh) {
  EXPECT_EQ(LowerCase("SPRING 2018"), "spring 2018");
  EXPECT_EQ(LowerCase("МАРТ Ёлка"), "март ёлка");
  EXPECT_EQ(LowerCase("ҚАҢТАР ӘӨҰҮҒҺІ"), "қаңтар әөұүғһі");
  EXPECT_EQ(LowerCase("阿克提汗 \xD0"), "阿克提汗 \xD0");  // other scripts, broken bytes kept
}

TEST(CalendarWords, LooksUpEachLanguage) {
  using Kind = CalendarWord::Kind;
  const struct {
    const char* word;
    Kind kind;
    int value;
  } cases[] = {
      {"march", Kind::kMonth, 3},      {"марта", Kind::kMonth, 3},     {"наурыз", Kind::kMonth, 3},
      {"желтоқсан", Kind::kMonth, 12}, {"sept", Kind::kMonth, 9},      {"winter", Kind::kSeason, 3},
      {"күзде", Kind::kSeason, 2},     {"late", Kind::kPartOfYear, 2}, {"около", Kind::kAbout, 0},
      {"после", Kind::kAfter, 0},      {"жылы", Kind::kYearWord, 0},   {"в", Kind::kFiller, 0}};
  for (const auto& c : cases) {
    const auto word = LookUpCalendarWord(c.word);
    ASSERT_TRUE(word.has_value()) << c.word;
    EXPECT_EQ(word->kind, c.kind) << c.word;
    EXPECT_EQ(word->value, c.value) << c.word;
  }
  EXPECT_FALSE(LookUpCalendarWord("sometime").has_value());
  EXPECT_FALSE(LookUpCalendarWord("March").has_value());  // callers lower-case first
}

}  // namespace
}  // namespace izde::dates
