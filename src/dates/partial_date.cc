#include "dates/partial_date.h"

#include <cstdio>

namespace izde::dates {
namespace {

std::string YearText(int year) {
  char text[8];
  std::snprintf(text, sizeof text, "%04d", year);
  return text;
}

std::string MonthText(const CivilDate& date) { return date.Iso().substr(0, 7); }

// An interval start at the coarsest precision that says the same day.
std::string StartText(const CivilDate& date) {
  if (date.day != 1) return date.Iso();
  return date.month == 1 ? YearText(date.year) : MonthText(date);
}

// An interval end at the coarsest precision that says the same day.
std::string EndText(const CivilDate& date) {
  if (date.day != DaysInMonth(date.year, date.month)) return date.Iso();
  return date.month == 12 ? YearText(date.year) : MonthText(date);
}

}  // namespace

std::string PartialDate::Iso() const {
  // Approximate dates are stored widened (see the header); undo that to name the centre.
  switch (precision) {
    case Precision::kDay:
      return approximate ? AddDays(earliest, 7).Iso() + "~" : earliest.Iso();
    case Precision::kMonth: {
      const CivilDate month =
          approximate ? FirstDayOfMonth(earliest.year, earliest.month + 1) : earliest;
      return MonthText(month) + (approximate ? "~" : "");
    }
    case Precision::kYear:
      return approximate ? YearText(earliest.year + 2) + "~" : YearText(earliest.year);
    case Precision::kSeason:
    case Precision::kPartOfYear:
      return MonthText(earliest) + "/" + MonthText(latest);
    case Precision::kRange:
      return StartText(earliest) + "/" + EndText(latest);
    case Precision::kBefore:
      return "../" + EndText(latest);
    case Precision::kAfter:
      return StartText(earliest) + "/..";
  }
  return earliest.Iso() + "/" + latest.Iso();
}

bool Overlaps(const PartialDate& a, const PartialDate& b) {
  return a.earliest <= b.latest && b.earliest <= a.latest;
}

bool Contains(const PartialDate& outer, const PartialDate& inner) {
  return outer.earliest <= inner.earliest && inner.latest <= outer.latest;
}

bool Contains(const PartialDate& outer, const CivilDate& day) {
  return outer.earliest <= day && day <= outer.latest;
}

}  // namespace izde::dates
