// Parse() for partial dates: normalise the text into tokens, peel off "about", "before"
// and "after", split ranges, then read each end as one point in time.
#include <chrono>
#include <optional>
#include <vector>

#include "dates/calendar_words.h"
#include "dates/han_date_words.h"
#include "dates/partial_date.h"

namespace izde::dates {
namespace {

constexpr std::string_view kExamples =
    "write e.g. 2018, 2018-03, 2018-03-15, 15.03.2018, spring 2018, about 1975 or 2017..2018";
constexpr const char* kMonthNames[] = {"January",   "February", "March",    "April",
                                       "May",       "June",     "July",     "August",
                                       "September", "October",  "November", "December"};

using Kind = CalendarWord::Kind;

// One point as written, before "about" or ranges apply.
struct Point {
  CivilDate earliest;
  CivilDate latest;
  Precision precision;
};

std::string Quote(std::string_view text) {
  std::string quoted(1, '\'');
  quoted.append(text);
  quoted += '\'';
  return quoted;
}

// "<what>; write e.g. ..." built by appending, which GCC 12's -Wrestrict accepts.
std::string WithExamples(std::string what) {
  what += "; ";
  what.append(kExamples);
  return what;
}

bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int ToInt(std::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

std::vector<std::string_view> Split(std::string_view s, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t at = s.find(separator); at != std::string_view::npos; at = s.find(separator, start)) {
    parts.push_back(s.substr(start, at - start));
    start = at + 1;
  }
  parts.push_back(s.substr(start));
  return parts;
}

std::string Join(const std::vector<std::string>& tokens, size_t begin, size_t end) {
  std::string joined;
  for (size_t i = begin; i < end; ++i) {
    if (i > begin) joined += ' ';
    joined += tokens[i];
  }
  return joined;
}

class DateParser {
 public:
  DateParser(std::string_view text, int this_year) : text_(text), this_year_(this_year) {}

  Result<PartialDate> Run();

 private:
  Status Garbage() const {
    return Status::InvalidInput(WithExamples(Quote(text_) + " is not a date izde understands"));
  }
  Status CheckYear(std::string_view written, int year) const;
  Result<CivilDate> MakeDay(std::string_view written, int year, int month, int day) const;
  Result<Point> MakeMonth(std::string_view written, int year, int month) const;
  Result<Point> ParseNumber(std::string_view token) const;
  Result<Point> ParsePoint(const std::vector<std::string>& tokens, size_t begin, size_t end) const;
  std::vector<std::string> Tokenise() const;

  std::string_view text_;
  int this_year_;
};

Status DateParser::CheckYear(std::string_view written, int year) const {
  if (year < kEarliestYear) {
    return Status::InvalidInput(Quote(written) + ": the year " + std::to_string(year) +
                                " is before " + std::to_string(kEarliestYear) +
                                ", which izde does not accept; check the year");
  }
  if (year > this_year_ + 1) {
    return Status::InvalidInput(Quote(written) + ": the year " + std::to_string(year) +
                                " is in the future; check the year");
  }
  return Status::Ok();
}

Result<CivilDate> DateParser::MakeDay(std::string_view written, int year, int month,
                                      int day) const {
  IZDE_RETURN_IF_ERROR(CheckYear(written, year));
  if (month < 1 || month > 12) {
    return Status::InvalidInput(Quote(written) + " has no month " + std::to_string(month));
  }
  if (day < 1) return Status::InvalidInput(Quote(written) + " has no day " + std::to_string(day));
  if (day > DaysInMonth(year, month)) {
    if (month == 2 && day == 29) {
      return Status::InvalidInput(Quote(written) + ": " + std::to_string(year) +
                                  " is not a leap year, so February has 28 days");
    }
    return Status::InvalidInput(Quote(written) + ": " + kMonthNames[month - 1] + " has only " +
                                std::to_string(DaysInMonth(year, month)) + " days");
  }
  return CivilDate{year, month, day};
}

Result<Point> DateParser::MakeMonth(std::string_view written, int year, int month) const {
  IZDE_RETURN_IF_ERROR(CheckYear(written, year));
  if (month < 1 || month > 12) {
    return Status::InvalidInput(Quote(written) + " has no month " + std::to_string(month));
  }
  return Point{FirstDayOfMonth(year, month), LastDayOfMonth(year, month), Precision::kMonth};
}

// 1975, 2018-03, 2018-03-15, 15.03.2018, 03.2018.
Result<Point> DateParser::ParseNumber(std::string_view token) const {
  const auto dashed = Split(token, '-');
  const auto dotted = Split(token, '.');
  if (dashed.size() >= 1 && dashed.size() <= 3 && dashed[0].size() == 4) {
    for (size_t i = 0; i < dashed.size(); ++i) {
      if (!IsDigits(dashed[i]) || (i > 0 && dashed[i].size() > 2)) return Garbage();
    }
    const int year = ToInt(dashed[0]);
    if (dashed.size() == 1) {
      IZDE_RETURN_IF_ERROR(CheckYear(token, year));
      return Point{{year, 1, 1}, {year, 12, 31}, Precision::kYear};
    }
    if (dashed.size() == 2) return MakeMonth(token, year, ToInt(dashed[1]));
    IZDE_ASSIGN_OR_RETURN(CivilDate day, MakeDay(token, year, ToInt(dashed[1]), ToInt(dashed[2])));
    return Point{day, day, Precision::kDay};
  }
  if ((dotted.size() == 2 || dotted.size() == 3) && dotted.back().size() == 4) {
    for (size_t i = 0; i < dotted.size(); ++i) {
      if (!IsDigits(dotted[i]) || (i + 1 < dotted.size() && dotted[i].size() > 2)) {
        return Garbage();
      }
    }
    const int year = ToInt(dotted.back());
    if (dotted.size() == 2) return MakeMonth(token, year, ToInt(dotted[0]));
    IZDE_ASSIGN_OR_RETURN(CivilDate day, MakeDay(token, year, ToInt(dotted[1]), ToInt(dotted[0])));
    return Point{day, day, Precision::kDay};
  }
  return Garbage();
}

Result<Point> DateParser::ParsePoint(const std::vector<std::string>& tokens, size_t begin,
                                     size_t end) const {
  // Drop words that carry no date: "в", "in", and "г."/"жылы" after a year.
  std::vector<std::string_view> words;
  std::vector<std::optional<CalendarWord>> kinds;
  for (size_t i = begin; i < end; ++i) {
    const auto word = LookUpCalendarWord(tokens[i]);
    if (word && (word->kind == Kind::kFiller || word->kind == Kind::kYearWord)) continue;
    words.push_back(tokens[i]);
    kinds.push_back(word);
  }
  // Kazakh, Uyghur and Chinese put the year first: "2018 жылы көктемде", "2018年春".
  if (words.size() == 2 && !kinds[0] && IsDigits(words[0]) && words[0].size() == 4 && kinds[1] &&
      (kinds[1]->kind == Kind::kMonth || kinds[1]->kind == Kind::kSeason ||
       kinds[1]->kind == Kind::kPartOfYear)) {
    std::swap(words[0], words[1]);
    std::swap(kinds[0], kinds[1]);
  }
  const std::string written = Join(tokens, begin, end);
  auto is = [&](size_t i, Kind kind) { return kinds[i] && kinds[i]->kind == kind; };
  auto is_year = [&](size_t i) { return !kinds[i] && IsDigits(words[i]) && words[i].size() == 4; };
  auto is_day = [&](size_t i) { return !kinds[i] && IsDigits(words[i]) && words[i].size() <= 2; };

  if (words.size() == 1 && !kinds[0]) return ParseNumber(words[0]);
  if (words.size() == 2 && is_year(1)) {
    const int year = ToInt(words[1]);
    if (is(0, Kind::kMonth)) return MakeMonth(written, year, kinds[0]->value);
    if (is(0, Kind::kSeason)) {
      IZDE_RETURN_IF_ERROR(CheckYear(written, year));
      const int first_month = 3 + 3 * kinds[0]->value;  // winter starts in December
      return Point{FirstDayOfMonth(year, first_month), LastDayOfMonth(year, first_month + 2),
                   Precision::kSeason};
    }
    if (is(0, Kind::kPartOfYear)) {
      IZDE_RETURN_IF_ERROR(CheckYear(written, year));
      const int first_month = 1 + 4 * kinds[0]->value;
      return Point{FirstDayOfMonth(year, first_month), LastDayOfMonth(year, first_month + 3),
                   Precision::kPartOfYear};
    }
  }
  if (words.size() == 3 && is_year(2)) {
    std::optional<size_t> day_at;
    if (is_day(0) && is(1, Kind::kMonth)) day_at = 0;
    if (is(0, Kind::kMonth) && is_day(1)) day_at = 1;
    if (day_at) {
      const int month = kinds[*day_at == 0 ? 1 : 0]->value;
      IZDE_ASSIGN_OR_RETURN(CivilDate day,
                            MakeDay(written, ToInt(words[2]), month, ToInt(words[*day_at])));
      return Point{day, day, Precision::kDay};
    }
  }
  return Garbage();
}

std::vector<std::string> DateParser::Tokenise() const {
  const std::string lower =
      LowerCase(HasHanDateWords(text_) ? SpellOutHanDate(text_) : std::string(text_));
  std::string spaced;
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  auto is_letter = [](char c) { return (c >= 'a' && c <= 'z') || (c & 0x80); };
  for (size_t i = 0; i < lower.size(); ++i) {
    const char c = lower[i];
    const std::string_view rest = std::string_view(lower).substr(i);
    if (rest.starts_with("\xE2\x80\x93") || rest.starts_with("\xE2\x80\x94")) {
      spaced += " - ";  // en dash, em dash
      i += 2;
      continue;
    }
    if (rest.starts_with("..")) {
      spaced += " .. ";
      while (i + 1 < lower.size() && lower[i + 1] == '.') ++i;
      continue;
    }
    // "mid-2018" is "mid 2018".
    // "2018-يىلى" (the year 2018, in Uyghur) is "2018 يىلى".
    const bool hyphen_after_word =
        c == '-' && !spaced.empty() &&
        ((spaced.back() >= 'a' && spaced.back() <= 'z') ||
         (is_digit(spaced.back()) && i + 1 < lower.size() && (lower[i + 1] & 0x80)));
    if (c == ',' || c == '\t' || c == '\n' || c == '\r' || hyphen_after_word) {
      spaced += ' ';
      continue;
    }
    if (c == '/' || c == '~') {
      spaced += ' ';
      spaced += c;
      spaced += ' ';
      continue;
    }
    // "2018г." and "2018ж." are written without a space.
    if (!spaced.empty() && ((is_digit(spaced.back()) && is_letter(c)) ||
                            (is_letter(spaced.back()) && !(spaced.back() & 0x80) && is_digit(c)))) {
      spaced += ' ';
    }
    spaced += c;
  }
  std::vector<std::string> tokens;
  for (std::string_view token : Split(spaced, ' ')) {
    if (token.empty()) continue;
    // 2017-2018 is a range of years; no month is numbered 2018.
    if (token.size() == 9 && token[4] == '-' && IsDigits(token.substr(0, 4)) &&
        IsDigits(token.substr(5))) {
      tokens.emplace_back(token.substr(0, 4));
      tokens.emplace_back("-");
      tokens.emplace_back(token.substr(5));
      continue;
    }
    tokens.emplace_back(token);
  }
  return tokens;
}

Result<PartialDate> DateParser::Run() {
  PartialDate date;
  date.text = std::string(text_);
  std::vector<std::string> tokens = Tokenise();
  if (tokens.empty()) {
    return Status::InvalidInput(WithExamples("the date is empty"));
  }
  // 3/4/2018 is 3 April in Kazakhstan and March 4 in the United States.
  for (size_t i = 0; i + 4 < tokens.size(); ++i) {
    if (IsDigits(tokens[i]) && tokens[i + 1] == "/" && IsDigits(tokens[i + 2]) &&
        tokens[i + 3] == "/" && IsDigits(tokens[i + 4]) && tokens[i].size() <= 2) {
      return Status::InvalidInput(Quote(text_) +
                                  " is ambiguous: the day and month could be either way "
                                  "round; write it as 2018-04-03 or 03.04.2018");
    }
  }

  // "about", "~" before or after; "before"/"after" before.
  bool about = false;
  std::optional<Kind> open;
  for (;;) {
    if (tokens.empty()) return Garbage();
    const auto first = LookUpCalendarWord(tokens.front());
    const auto last = LookUpCalendarWord(tokens.back());
    if (first && first->kind == Kind::kAbout && !about) {
      about = true;
      tokens.erase(tokens.begin());
    } else if (last && last->kind == Kind::kAbout && !about) {
      about = true;
      tokens.pop_back();
    } else if (first && (first->kind == Kind::kBefore || first->kind == Kind::kAfter) && !open) {
      open = first->kind;
      tokens.erase(tokens.begin());
    } else if (last && (last->kind == Kind::kBefore || last->kind == Kind::kAfter) && !open &&
               tokens.size() > 1) {
      open = last->kind;
      tokens.pop_back();
    } else {
      break;
    }
  }

  // Ranges: A..B, A/B, A - B, A to B, between A and B. Either end of ".." or "/" may be
  // ".." (open), as in ISO 8601-2.
  std::optional<size_t> separator;
  size_t begin = 0;
  if (tokens.front() == "between" || tokens.front() == "from") ++begin;
  for (size_t i = begin; i < tokens.size(); ++i) {
    const std::string& t = tokens[i];
    const bool splits = t == "/" || t == "-" || t == "to" ||
                        (t == "and" && tokens.front() == "between") ||
                        (t == ".." && i > begin && i + 1 < tokens.size());
    if (!splits) continue;
    if (separator) return Garbage();
    separator = i;
  }
  const bool open_start = separator && *separator == begin + 1 && tokens[begin] == "..";
  const bool open_end = separator && *separator + 2 == tokens.size() && tokens.back() == "..";

  if (about && (separator || open)) {
    return Status::InvalidInput(Quote(text_) +
                                ": 'about' goes with a single year, month or day; for a "
                                "range write its widest bounds, e.g. 1973..1977");
  }
  if (separator && open) return Garbage();

  const CivilDate min_day{kEarliestYear, 1, 1};
  const CivilDate max_day{this_year_ + 1, 12, 31};
  if (open_start && open_end) return Garbage();
  if (open_start || open_end) {
    const size_t from = open_start ? *separator + 1 : begin;
    const size_t to = open_start ? tokens.size() : *separator;
    IZDE_ASSIGN_OR_RETURN(Point bound, ParsePoint(tokens, from, to));
    date.earliest = open_start ? min_day : bound.earliest;
    date.latest = open_start ? bound.latest : max_day;
    date.precision = open_start ? Precision::kBefore : Precision::kAfter;
    return date;
  }
  if (separator) {
    IZDE_ASSIGN_OR_RETURN(Point from, ParsePoint(tokens, begin, *separator));
    IZDE_ASSIGN_OR_RETURN(Point to, ParsePoint(tokens, *separator + 1, tokens.size()));
    // "winter 2017/2018" is the winter that starts in December 2017.
    if (from.precision == Precision::kSeason && from.earliest.month == 12 &&
        to.precision == Precision::kYear && to.earliest.year == from.earliest.year + 1) {
      date.earliest = from.earliest;
      date.latest = from.latest;
      date.precision = Precision::kSeason;
      return date;
    }
    if (to.latest < from.earliest) {
      return Status::InvalidInput(Quote(text_) + ": the range ends before it starts");
    }
    date.earliest = from.earliest;
    date.latest = to.latest;
    date.precision = Precision::kRange;
    return date;
  }

  IZDE_ASSIGN_OR_RETURN(Point point, ParsePoint(tokens, begin, tokens.size()));
  if (begin != 0) return Garbage();  // "between 2018" without an end
  date.earliest = point.earliest;
  date.latest = point.latest;
  date.precision = point.precision;
  if (open == Kind::kBefore) {
    date.earliest = min_day;
    date.latest = AddDays(point.earliest, -1);
    date.precision = Precision::kBefore;
    if (date.latest < date.earliest) {
      return Status::InvalidInput(Quote(text_) +
                                  " leaves no possible date; izde accepts "
                                  "dates from 1900 on");
    }
  } else if (open == Kind::kAfter) {
    date.earliest = AddDays(point.latest, 1);
    date.latest = max_day;
    date.precision = Precision::kAfter;
    if (date.latest < date.earliest) {
      return Status::InvalidInput(Quote(text_) +
                                  " leaves no possible date; the latest year "
                                  "izde accepts is " +
                                  std::to_string(this_year_ + 1));
    }
  }
  if (about) {
    date.approximate = true;
    switch (point.precision) {
      case Precision::kYear:
        date.earliest = {point.earliest.year - 2, 1, 1};
        date.latest = {point.latest.year + 2, 12, 31};
        break;
      case Precision::kMonth:
        date.earliest = FirstDayOfMonth(point.earliest.year, point.earliest.month - 1);
        date.latest = LastDayOfMonth(point.latest.year, point.latest.month + 1);
        break;
      case Precision::kDay:
        date.earliest = AddDays(point.earliest, -7);
        date.latest = AddDays(point.latest, 7);
        break;
      default:
        return Status::InvalidInput(Quote(text_) +
                                    ": a season or part of a year is already approximate; "
                                    "leave out 'about'");
    }
  }
  return date;
}

}  // namespace

Result<PartialDate> Parse(std::string_view text, int this_year) {
  return DateParser(text, this_year).Run();
}

Result<PartialDate> Parse(std::string_view text) {
  using namespace std::chrono;
  const year_month_day today{floor<days>(system_clock::now())};
  return Parse(text, static_cast<int>(today.year()));
}

}  // namespace izde::dates
