#include "dates/partial_date.h"

#include <gtest/gtest.h>

namespace izde::dates {
namespace {

PartialDate Must(const char* text) {
  auto date = Parse(text, 2025);
  EXPECT_TRUE(date.ok()) << text << ": " << date.status().message();
  return date.ok() ? *date : PartialDate{};
}

TEST(PartialDate, Overlaps) {
  EXPECT_TRUE(Overlaps(Must("spring 2018"), Must("2018-05-31")));
  EXPECT_FALSE(Overlaps(Must("spring 2018"), Must("2018-06-01")));
  EXPECT_TRUE(Overlaps(Must("about 1975"), Must("1977")));
  EXPECT_FALSE(Overlaps(Must("about 1975"), Must("1978")));
  EXPECT_TRUE(Overlaps(Must("winter 2017"), Must("January 2018")));
  EXPECT_TRUE(Overlaps(Must("before 2019"), Must("2017..2020")));
  EXPECT_FALSE(Overlaps(Must("after 2016-05"), Must("2016-05-31")));
}

TEST(PartialDate, Contains) {
  EXPECT_TRUE(Contains(Must("2018"), Must("spring 2018")));
  EXPECT_FALSE(Contains(Must("2018"), Must("winter 2018")));  // runs into 2019
  EXPECT_TRUE(Contains(Must("2017..2018"), Must("winter 2017")));
  EXPECT_FALSE(Contains(Must("spring 2018"), Must("2018")));
  EXPECT_TRUE(Contains(Must("about 1975"), CivilDate{1973, 1, 1}));
  EXPECT_FALSE(Contains(Must("about 1975"), CivilDate{1972, 12, 31}));
  EXPECT_TRUE(Contains(Must("2018-03-15"), Must("15.03.2018")));
}

TEST(PartialDate, KeepsTheTextExactlyAsGiven) {
  EXPECT_EQ(Must("  Весной 2018 г. ").text, "  Весной 2018 г. ");
}

}  // namespace
}  // namespace izde::dates
