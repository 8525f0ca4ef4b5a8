// The words testimonies use around dates, in English, Russian, Kazakh and Uyghur: month
// names (with the Russian genitive "15 марта" and locative "в марте", the Uyghur locative
// "مارتتا"), seasons, parts of a year, and markers for "about", "before" and "after".
// Chinese forms are spelled out into these words first (han_date_words.h). Internal to
// the date parser.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace izde::dates {

struct CalendarWord {
  enum class Kind { kMonth, kSeason, kPartOfYear, kAbout, kBefore, kAfter, kYearWord, kFiller };
  Kind kind;
  int value = 0;  // month 1-12; season 0-3 (spring..winter); part 0-2 (early, mid, late)
};

// Lower-cases ASCII and Cyrillic (Russian and Kazakh letters); other bytes are kept.
std::string LowerCase(std::string_view text);

// Looks up one lower-case word.
std::optional<CalendarWord> LookUpCalendarWord(std::string_view word);

}  // namespace izde::dates
