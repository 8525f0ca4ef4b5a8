// A day of the proleptic Gregorian calendar, as written in a testimony: year, month 1-12,
// day 1-31. Ordering is chronological.
#pragma once

#include <compare>
#include <string>

namespace izde::dates {

struct CivilDate {
  int year = 0;
  int month = 0;
  int day = 0;

  std::string Iso() const;  // "2018-03-15"
  auto operator<=>(const CivilDate&) const = default;
};

bool IsLeapYear(int year);
int DaysInMonth(int year, int month);
bool IsValid(const CivilDate& date);

// Month arithmetic on (year, month) that may run past December or before January.
CivilDate FirstDayOfMonth(int year, int month);
CivilDate LastDayOfMonth(int year, int month);
CivilDate AddDays(const CivilDate& date, int days);

}  // namespace izde::dates
