#include <gtest/gtest.h>

#include <random>

#include "dates/partial_date.h"

namespace izde::dates {
namespace {

constexpr int kThisYear = 2025;

struct Accepted {
  const char* text;
  const char* earliest;
  const char* latest;
  Precision precision;
  bool approximate;
  const char* iso;
};

// Test listings show the date text, not the struct's raw bytes.
void PrintTo(const Accepted& a, std::ostream* os) { *os << '"' << a.text << '"'; }

class ParseAccepts : public ::testing::TestWithParam<Accepted> {};

TEST_P(ParseAccepts, GivesTheInterval) {
  const Accepted& c = GetParam();
  auto date = Parse(c.text, kThisYear);
  ASSERT_TRUE(date.ok()) << date.status().message();
  EXPECT_EQ(date->text, c.text);
  EXPECT_EQ(date->earliest.Iso(), c.earliest);
  EXPECT_EQ(date->latest.Iso(), c.latest);
  EXPECT_EQ(date->precision, c.precision);
  EXPECT_EQ(date->approximate, c.approximate);
  EXPECT_EQ(date->Iso(), c.iso);
  // The ISO form reads back as the same interval.
  auto again = Parse(date->Iso(), kThisYear);
  ASSERT_TRUE(again.ok()) << date->Iso() << ": " << again.status().message();
  EXPECT_EQ(again->earliest, date->earliest);
  EXPECT_EQ(again->latest, date->latest);
  EXPECT_EQ(again->approximate, date->approximate);
}

using P = Precision;
INSTANTIATE_TEST_SUITE_P(
    Forms, ParseAccepts,
    ::testing::Values(
        Accepted{"1975", "1975-01-01", "1975-12-31", P::kYear, false, "1975"},
        Accepted{" 1975 г. ", "1975-01-01", "1975-12-31", P::kYear, false, "1975"},
        Accepted{"1975ж.", "1975-01-01", "1975-12-31", P::kYear, false, "1975"},
        Accepted{"2018-03", "2018-03-01", "2018-03-31", P::kMonth, false, "2018-03"},
        Accepted{"2018-3", "2018-03-01", "2018-03-31", P::kMonth, false, "2018-03"},
        Accepted{"03.2018", "2018-03-01", "2018-03-31", P::kMonth, false, "2018-03"},
        Accepted{"March 2018", "2018-03-01", "2018-03-31", P::kMonth, false, "2018-03"},
        Accepted{"in Feb 2016", "2016-02-01", "2016-02-29", P::kMonth, false, "2016-02"},
        Accepted{"март 2018", "2018-03-01", "2018-03-31", P::kMonth, false, "2018-03"},
        Accepted{"в марте 2018 года", "2018-03-01", "2018-03-31", P::kMonth, false, "2018-03"},
        Accepted{"Наурыз 2018", "2018-03-01", "2018-03-31", P::kMonth, false, "2018-03"},
        Accepted{"ҚАҢТАР 2019 ж.", "2019-01-01", "2019-01-31", P::kMonth, false, "2019-01"},
        Accepted{"желтоқсан 2017", "2017-12-01", "2017-12-31", P::kMonth, false, "2017-12"},
        Accepted{"2018-03-15", "2018-03-15", "2018-03-15", P::kDay, false, "2018-03-15"},
        Accepted{"15.03.2018", "2018-03-15", "2018-03-15", P::kDay, false, "2018-03-15"},
        Accepted{"5.3.2018", "2018-03-05", "2018-03-05", P::kDay, false, "2018-03-05"},
        Accepted{"15 March 2018", "2018-03-15", "2018-03-15", P::kDay, false, "2018-03-15"},
        Accepted{"March 15, 2018", "2018-03-15", "2018-03-15", P::kDay, false, "2018-03-15"},
        Accepted{"15 марта 2018 г.", "2018-03-15", "2018-03-15", P::kDay, false, "2018-03-15"},
        Accepted{"29.02.2016", "2016-02-29", "2016-02-29", P::kDay, false, "2016-02-29"},
        Accepted{"2000-02-29", "2000-02-29", "2000-02-29", P::kDay, false, "2000-02-29"},
        Accepted{"spring 2018", "2018-03-01", "2018-05-31", P::kSeason, false, "2018-03/2018-05"},
        Accepted{"Summer 2017", "2017-06-01", "2017-08-31", P::kSeason, false, "2017-06/2017-08"},
        Accepted{"autumn 2016", "2016-09-01", "2016-11-30", P::kSeason, false, "2016-09/2016-11"},
        Accepted{"fall 2016", "2016-09-01", "2016-11-30", P::kSeason, false, "2016-09/2016-11"},
        Accepted{"winter 2018", "2018-12-01", "2019-02-28", P::kSeason, false, "2018-12/2019-02"},
        Accepted{"winter 2019/2020", "2019-12-01", "2020-02-29", P::kSeason, false,
                 "2019-12/2020-02"},
        Accepted{"весной 2018", "2018-03-01", "2018-05-31", P::kSeason, false, "2018-03/2018-05"},
        Accepted{"көктем 2018", "2018-03-01", "2018-05-31", P::kSeason, false, "2018-03/2018-05"},
        Accepted{"қыс 2017", "2017-12-01", "2018-02-28", P::kSeason, false, "2017-12/2018-02"},
        Accepted{"early 2018", "2018-01-01", "2018-04-30", P::kPartOfYear, false,
                 "2018-01/2018-04"},
        Accepted{"mid-2018", "2018-05-01", "2018-08-31", P::kPartOfYear, false, "2018-05/2018-08"},
        Accepted{"late 2017", "2017-09-01", "2017-12-31", P::kPartOfYear, false, "2017-09/2017-12"},
        Accepted{"в конце 2017 года", "2017-09-01", "2017-12-31", P::kPartOfYear, false,
                 "2017-09/2017-12"},
        Accepted{"about 1975", "1973-01-01", "1977-12-31", P::kYear, true, "1975~"},
        Accepted{"circa 1975", "1973-01-01", "1977-12-31", P::kYear, true, "1975~"},
        Accepted{"~1975", "1973-01-01", "1977-12-31", P::kYear, true, "1975~"},
        Accepted{"около 1975 г.", "1973-01-01", "1977-12-31", P::kYear, true, "1975~"},
        Accepted{"шамамен 1975", "1973-01-01", "1977-12-31", P::kYear, true, "1975~"},
        Accepted{"about March 2018", "2018-02-01", "2018-04-30", P::kMonth, true, "2018-03~"},
        Accepted{"about 2018-01", "2017-12-01", "2018-02-28", P::kMonth, true, "2018-01~"},
        Accepted{"ca. 2018-03-02", "2018-02-23", "2018-03-09", P::kDay, true, "2018-03-02~"},
        Accepted{"2017..2018", "2017-01-01", "2018-12-31", P::kRange, false, "2017/2018"},
        Accepted{"2017-2018", "2017-01-01", "2018-12-31", P::kRange, false, "2017/2018"},
        Accepted{"2017 – 2018", "2017-01-01", "2018-12-31", P::kRange, false, "2017/2018"},
        Accepted{"between 2017 and 2018", "2017-01-01", "2018-12-31", P::kRange, false,
                 "2017/2018"},
        Accepted{"2018-03..2018-05", "2018-03-01", "2018-05-31", P::kRange, false,
                 "2018-03/2018-05"},
        Accepted{"15.03.2018..2.04.2018", "2018-03-15", "2018-04-02", P::kRange, false,
                 "2018-03-15/2018-04-02"},
        Accepted{"spring 2017 to early 2018", "2017-03-01", "2018-04-30", P::kRange, false,
                 "2017-03/2018-04"},
        Accepted{"2018..2018-03", "2018-01-01", "2018-03-31", P::kRange, false, "2018/2018-03"},
        Accepted{"before 2019", "1900-01-01", "2018-12-31", P::kBefore, false, "../2018"},
        Accepted{"до 2019", "1900-01-01", "2018-12-31", P::kBefore, false, "../2018"},
        Accepted{"before 2019-05", "1900-01-01", "2019-04-30", P::kBefore, false, "../2019-04"},
        Accepted{"before 15.03.2018", "1900-01-01", "2018-03-14", P::kBefore, false,
                 "../2018-03-14"},
        Accepted{"../2018", "1900-01-01", "2018-12-31", P::kBefore, false, "../2018"},
        Accepted{"after 2016-05", "2016-06-01", "2026-12-31", P::kAfter, false, "2016-06/.."},
        Accepted{"после 2016", "2017-01-01", "2026-12-31", P::kAfter, false, "2017/.."},
        Accepted{"2016-06/..", "2016-06-01", "2026-12-31", P::kAfter, false, "2016-06/.."},
        Accepted{"2026", "2026-01-01", "2026-12-31", P::kYear, false, "2026"},
        Accepted{"1900", "1900-01-01", "1900-12-31", P::kYear, false, "1900"},
        // Year first, as Kazakh, Uyghur and Chinese write it.
        Accepted{"2018 жылы көктемде", "2018-03-01", "2018-05-31", P::kSeason, false,
                 "2018-03/2018-05"},
        Accepted{"2017 жылдың соңында", "2017-09-01", "2017-12-31", P::kPartOfYear, false,
                 "2017-09/2017-12"},
        Accepted{"2019 жылға дейін", "1900-01-01", "2018-12-31", P::kBefore, false, "../2018"},
        Accepted{"2016 жылдан кейін", "2017-01-01", "2026-12-31", P::kAfter, false, "2017/.."},
        // Uyghur (Arabic script): months, seasons, "-يىلى" joined by a hyphen.
        Accepted{"2018-يىلى مارتتا", "2018-03-01", "2018-03-31", P::kMonth, false, "2018-03"},
        Accepted{"15 مارت 2018", "2018-03-15", "2018-03-15", P::kDay, false, "2018-03-15"},
        Accepted{"2018-يىلى باھاردا", "2018-03-01", "2018-05-31", P::kSeason, false,
                 "2018-03/2018-05"},
        Accepted{"قىش 2017", "2017-12-01", "2018-02-28", P::kSeason, false, "2017-12/2018-02"},
        Accepted{"2017-يىلىنىڭ ئاخىرىدا", "2017-09-01", "2017-12-31", P::kPartOfYear, false,
                 "2017-09/2017-12"},
        Accepted{"تەخمىنەن 1975-يىلى", "1973-01-01", "1977-12-31", P::kYear, true, "1975~"},
        Accepted{"2016-يىلىدىن كېيىن", "2017-01-01", "2026-12-31", P::kAfter, false, "2017/.."},
        // Chinese, as in leaked lists and official documents.
        Accepted{"2018年3月15日", "2018-03-15", "2018-03-15", P::kDay, false, "2018-03-15"},
        Accepted{"２０１８年３月５号", "2018-03-05", "2018-03-05", P::kDay, false, "2018-03-05"},
        Accepted{"2018年3月", "2018-03-01", "2018-03-31", P::kMonth, false, "2018-03"},
        Accepted{"1975年", "1975-01-01", "1975-12-31", P::kYear, false, "1975"},
        Accepted{"2018年春", "2018-03-01", "2018-05-31", P::kSeason, false, "2018-03/2018-05"},
        Accepted{"2017年冬天", "2017-12-01", "2018-02-28", P::kSeason, false, "2017-12/2018-02"},
        Accepted{"2018年底", "2018-09-01", "2018-12-31", P::kPartOfYear, false, "2018-09/2018-12"},
        Accepted{"约1975年", "1973-01-01", "1977-12-31", P::kYear, true, "1975~"},
        Accepted{"1975年左右", "1973-01-01", "1977-12-31", P::kYear, true, "1975~"},
        Accepted{"2017年至2018年", "2017-01-01", "2018-12-31", P::kRange, false, "2017/2018"},
        Accepted{"2019年以前", "1900-01-01", "2018-12-31", P::kBefore, false, "../2018"},
        Accepted{"2016年以后", "2017-01-01", "2026-12-31", P::kAfter, false, "2017/.."}));

struct Rejected {
  const char* text;
  const char* message;
};

void PrintTo(const Rejected& r, std::ostream* os) { *os << '"' << r.text << '"'; }

class ParseRejects : public ::testing::TestWithParam<Rejected> {};

TEST_P(ParseRejects, WithAMessageAVolunteerCanActOn) {
  auto date = Parse(GetParam().text, kThisYear);
  ASSERT_FALSE(date.ok()) << GetParam().text << " gave " << date->Iso();
  EXPECT_EQ(date.status().code(), Status::Code::kInvalidInput);
  EXPECT_EQ(date.status().message(), GetParam().message);
}

constexpr const char* kGarbageTail =
    " is not a date izde understands; write e.g. 2018, 2018-03, 2018-03-15, 15.03.2018, "
    "spring 2018, about 1975 or 2017..2018";

INSTANTIATE_TEST_SUITE_P(
    Mistakes, ParseRejects,
    ::testing::Values(
        Rejected{"1975-13-02", "'1975-13-02' has no month 13"},
        Rejected{"2018-00", "'2018-00' has no month 0"},
        Rejected{"02.13.1975", "'02.13.1975' has no month 13"},
        Rejected{"2018-04-31", "'2018-04-31': April has only 30 days"},
        Rejected{"2018年4月31日", "'2018-04-31': April has only 30 days"},
        Rejected{"2018年13月", "'2018-13' has no month 13"},
        Rejected{"31.09.2018", "'31.09.2018': September has only 30 days"},
        Rejected{"2018-03-00", "'2018-03-00' has no day 0"},
        Rejected{"2019-02-29", "'2019-02-29': 2019 is not a leap year, so February has 28 days"},
        Rejected{"1900-02-29", "'1900-02-29': 1900 is not a leap year, so February has 28 days"},
        Rejected{"1899",
                 "'1899': the year 1899 is before 1900, which izde does not accept; "
                 "check the year"},
        Rejected{"2027", "'2027': the year 2027 is in the future; check the year"},
        Rejected{"spring 2031", "'spring 2031': the year 2031 is in the future; check the year"},
        Rejected{"2019..2017", "'2019..2017': the range ends before it starts"},
        Rejected{"2018-05..2018-03", "'2018-05..2018-03': the range ends before it starts"},
        Rejected{"",
                 "the date is empty; write e.g. 2018, 2018-03, 2018-03-15, 15.03.2018, "
                 "spring 2018, about 1975 or 2017..2018"},
        Rejected{"   ",
                 "the date is empty; write e.g. 2018, 2018-03, 2018-03-15, "
                 "15.03.2018, spring 2018, about 1975 or 2017..2018"},
        Rejected{"03/04/2018",
                 "'03/04/2018' is ambiguous: the day and month could be either "
                 "way round; write it as 2018-04-03 or 03.04.2018"},
        Rejected{"before 1900",
                 "'before 1900' leaves no possible date; izde accepts dates "
                 "from 1900 on"},
        Rejected{"after 2026",
                 "'after 2026' leaves no possible date; the latest year izde "
                 "accepts is 2026"},
        Rejected{"about 2017..2018",
                 "'about 2017..2018': 'about' goes with a single year, "
                 "month or day; for a range write its widest bounds, "
                 "e.g. 1973..1977"},
        Rejected{"about spring 2018",
                 "'about spring 2018': a season or part of a year is "
                 "already approximate; leave out 'about'"}));

TEST(ParseRejects, Garbage) {
  for (const char* text :
       {"sometime", "1975-", "75", "18-03-2018", "2018-03-15-01", "15 2018", "March", "spring",
        "about", "before", "2017..2018..2019", "..", "../..", "between 2018", "2018 - ",
        "1975 1976", "2018-003", "12345", "15..03.2018"}) {
    auto date = Parse(text, kThisYear);
    ASSERT_FALSE(date.ok()) << text << " gave " << date->Iso();
    std::string expected(1, '\'');
    expected.append(text).append("'").append(kGarbageTail);
    EXPECT_EQ(date.status().message(), expected);
  }
}

TEST(Parse, UsesTheClockForTheLatestYear) {
  EXPECT_TRUE(Parse("2018").ok());
  EXPECT_FALSE(Parse("2999").ok());
}

// Random text built from date-like pieces never crashes, and whatever parses is a proper
// interval of real days whose ISO form reads back the same.
TEST(Parse, RandomTextGivesValidIntervalsOrStatus) {
  const std::vector<std::string> pieces = {
      "2018",  "1975",    "1899",   "2026",    "03",    "13",    "29",    "02",
      "-",     ".",       "..",     "/",       "~",     " ",     "about", "before",
      "after", "spring",  "winter", "early",   "late",  "march", "марта", "наурыз",
      "г.",    "between", "and",    "to",      "\xFF",  "\xD0",  "0",     "31",
      "年",    "月",      "日",     "春",      "约",    "以前",  "至",    "２",
      "يىلى",  "باھار",   "كېيىن",  "دېكابىر", "дейін", "жылы",  "\xE5",  "\xEF\xBC"};
  std::mt19937 rng(1975);
  int parsed = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    const int n = 1 + static_cast<int>(rng() % 6);
    for (int k = 0; k < n; ++k) text += pieces[rng() % pieces.size()];
    auto date = Parse(text, kThisYear);
    if (!date.ok()) {
      EXPECT_FALSE(date.status().message().empty());
      continue;
    }
    ++parsed;
    EXPECT_TRUE(IsValid(date->earliest)) << text;
    EXPECT_TRUE(IsValid(date->latest)) << text;
    EXPECT_LE(date->earliest, date->latest) << text;
    auto again = Parse(date->Iso(), kThisYear);
    if (date->precision == Precision::kSeason && date->earliest.year == kThisYear + 1) {
      continue;  // winter of next year ends in a year Parse would refuse
    }
    ASSERT_TRUE(again.ok()) << text << " -> " << date->Iso() << ": " << again.status().message();
    EXPECT_EQ(again->earliest, date->earliest) << text;
    EXPECT_EQ(again->latest, date->latest) << text;
  }
  EXPECT_GT(parsed, 100);  // the generator does reach the accepting paths
}

TEST(Parse, LongChineseTextIsRefusedNotSpelledOut) {
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "年";
  EXPECT_FALSE(Parse(text, kThisYear).ok());
  EXPECT_FALSE(Parse("2018年" + text, kThisYear).ok());
}

}  // namespace
}  // namespace izde::dates
