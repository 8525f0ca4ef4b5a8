// Partial and uncertain dates as testimonies give them ("spring 2018", "about 1975"),
// kept exactly as said and normalised to an inclusive interval of civil dates, so records
// can be compared, sorted and matched. The accepted forms, with examples, are listed in
// docs/formats/dates.md; in short:
//
//   precision    written as (case-insensitive; English, Russian, Kazakh words)
//   kDay         2018-03-15, 15.03.2018, 15 March 2018, March 15 2018, 15 марта 2018
//   kMonth       2018-03, 03.2018, March 2018, март 2018, наурыз 2018, в марте 2018 г.
//   kSeason      spring 2018, весной 2018, көктем 2018, winter 2017/2018
//   kPartOfYear  early 2018, mid 2018, late 2017, в конце 2017
//   kYear        1975, 1975 г., 1975 ж.
//   kRange       2017..2018, 2018-03..2018-05, 2017-2018, 2017/2018, between X and Y,
//                X to Y, with X and Y any of the forms above
//   kBefore      before 2019 (up to 2018-12-31), до 2019, ../2018 (up to 2018-12-31)
//   kAfter       after 2016-05 (from 2016-06-01), после 2016, 2016-06/..
//
// Intervals, and why:
// - Seasons are northern-hemisphere meteorological seasons, because Xinjiang and
//   Kazakhstan are in the north: spring = March-May, summer = June-August, autumn =
//   September-November, and "winter 2018" = December 2018 - February 2019 (the winter
//   that starts in 2018). "winter 2017/2018" says the same winter unambiguously.
// - early / mid / late split the year in thirds: January-April, May-August,
//   September-December.
// - "about", "around", "circa", "ca.", "approx.", "~", "около", "примерно", "шамамен" mark
//   an approximate year, month or day, widened so that matching does not miss the true
//   date: a year by 2 years each way (years are often worked out from a remembered age,
//   and "he was about 43" is commonly off by one or two), a month by 1 month, a day by 7
//   days. `approximate` is set. Seasons and ranges are already approximate and cannot
//   take "about".
// - Open ends ("before", "after") run to the model's limits: 1900-01-01 and 31 December
//   of next year. Dates before 1900 or after next year are rejected as impossible.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "dates/civil_date.h"

namespace izde::dates {

enum class Precision { kDay, kMonth, kSeason, kPartOfYear, kYear, kRange, kBefore, kAfter };

inline constexpr int kEarliestYear = 1900;

struct PartialDate {
  std::string text;    // exactly as given
  CivilDate earliest;  // inclusive
  CivilDate latest;    // inclusive
  Precision precision = Precision::kDay;
  bool approximate = false;

  // ISO 8601 / EDTF (ISO 8601-2) form: "2018-03-15", "2018-03", "1975", "1975~" (about
  // 1975), "2018-03/2018-05" (spring 2018 and ranges), "../2018" and "2016-06/.." (open
  // ends). Parse(Iso()) gives the same interval.
  std::string Iso() const;
};

// Parses a date as a volunteer wrote it; the latest accepted year is next year.
Result<PartialDate> Parse(std::string_view text);
// The same with an explicit current year, for reproducible tests and re-imports.
Result<PartialDate> Parse(std::string_view text, int this_year);

// Whether the two could be the same day: their intervals share at least one day.
bool Overlaps(const PartialDate& a, const PartialDate& b);
// Whether every day `inner` allows is also allowed by `outer`.
bool Contains(const PartialDate& outer, const PartialDate& inner);
bool Contains(const PartialDate& outer, const CivilDate& day);

}  // namespace izde::dates
