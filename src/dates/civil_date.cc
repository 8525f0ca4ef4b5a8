#include "dates/civil_date.h"

#include <chrono>
#include <cstdio>

namespace izde::dates {

std::string CivilDate::Iso() const {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d", year, month, day);
  return text;
}

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

bool IsValid(const CivilDate& date) {
  return date.day >= 1 && date.day <= DaysInMonth(date.year, date.month);
}

CivilDate FirstDayOfMonth(int year, int month) {
  const int months = year * 12 + (month - 1);
  const int y = months >= 0 ? months / 12 : (months - 11) / 12;
  return CivilDate{y, months - y * 12 + 1, 1};
}

CivilDate LastDayOfMonth(int year, int month) {
  CivilDate date = FirstDayOfMonth(year, month);
  date.day = DaysInMonth(date.year, date.month);
  return date;
}

CivilDate AddDays(const CivilDate& date, int days) {
  using namespace std::chrono;
  const year_month_day ymd{sys_days{year{date.year} / date.month / date.day} +
                           std::chrono::days{days}};
  return CivilDate{static_cast<int>(ymd.year()), static_cast<int>(unsigned{ymd.month()}),
                   static_cast<int>(unsigned{ymd.day()})};
}

}  // namespace izde::dates
