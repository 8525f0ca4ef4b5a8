#include "dates/civil_date.h"

#include <gtest/gtest.h>

namespace izde::dates {
namespace {

TEST(CivilDate, IsoAndOrder) {
  EXPECT_EQ((CivilDate{2018, 3, 5}).Iso(), "2018-03-05");
  EXPECT_LT((CivilDate{2017, 12, 31}), (CivilDate{2018, 1, 1}));
  EXPECT_LT((CivilDate{2018, 2, 28}), (CivilDate{2018, 3, 1}));
  EXPECT_EQ((CivilDate{2018, 3, 5}), (CivilDate{2018, 3, 5}));
}

TEST(CivilDate, LeapYearsAndMonthLengths) {
  EXPECT_TRUE(IsLeapYear(2016));
  EXPECT_TRUE(IsLeapYear(2000));
  EXPECT_FALSE(IsLeapYear(1900));
  EXPECT_FALSE(IsLeapYear(2019));
  EXPECT_EQ(DaysInMonth(2016, 2), 29);
  EXPECT_EQ(DaysInMonth(2019, 2), 28);
  EXPECT_EQ(DaysInMonth(2019, 4), 30);
  EXPECT_EQ(DaysInMonth(2019, 12), 31);
  EXPECT_EQ(DaysInMonth(2019, 13), 0);
  EXPECT_TRUE(IsValid({2016, 2, 29}));
  EXPECT_FALSE(IsValid({2019, 2, 29}));
  EXPECT_FALSE(IsValid({2019, 0, 1}));
  EXPECT_FALSE(IsValid({2019, 1, 0}));
}

TEST(CivilDate, MonthArithmeticCrossesYears) {
  EXPECT_EQ(FirstDayOfMonth(2018, 0), (CivilDate{2017, 12, 1}));
  EXPECT_EQ(FirstDayOfMonth(2018, 14), (CivilDate{2019, 2, 1}));
  EXPECT_EQ(FirstDayOfMonth(2018, -11), (CivilDate{2017, 1, 1}));
  EXPECT_EQ(FirstDayOfMonth(2018, -12), (CivilDate{2016, 12, 1}));
  EXPECT_EQ(LastDayOfMonth(2019, 14), (CivilDate{2020, 2, 29}));
}

TEST(CivilDate, AddDays) {
  EXPECT_EQ(AddDays({2018, 3, 2}, -7), (CivilDate{2018, 2, 23}));
  EXPECT_EQ(AddDays({2016, 2, 28}, 1), (CivilDate{2016, 2, 29}));
  EXPECT_EQ(AddDays({2018, 12, 31}, 1), (CivilDate{2019, 1, 1}));
}

}  // namespace
}  // namespace izde::dates
