#include "dates/calendar_words.h"

#include <array>

namespace izde::dates {
namespace {

using Kind = CalendarWord::Kind;

struct Entry {
  std::string_view word;
  Kind kind;
  int value;
};

constexpr std::array kWords = std::to_array<Entry>({
    // English months, full and abbreviated.
    {"january", Kind::kMonth, 1},
    {"jan", Kind::kMonth, 1},
    {"february", Kind::kMonth, 2},
    {"feb", Kind::kMonth, 2},
    {"march", Kind::kMonth, 3},
    {"mar", Kind::kMonth, 3},
    {"april", Kind::kMonth, 4},
    {"apr", Kind::kMonth, 4},
    {"may", Kind::kMonth, 5},
    {"june", Kind::kMonth, 6},
    {"jun", Kind::kMonth, 6},
    {"july", Kind::kMonth, 7},
    {"jul", Kind::kMonth, 7},
    {"august", Kind::kMonth, 8},
    {"aug", Kind::kMonth, 8},
    {"september", Kind::kMonth, 9},
    {"sep", Kind::kMonth, 9},
    {"sept", Kind::kMonth, 9},
    {"october", Kind::kMonth, 10},
    {"oct", Kind::kMonth, 10},
    {"november", Kind::kMonth, 11},
    {"nov", Kind::kMonth, 11},
    {"december", Kind::kMonth, 12},
    {"dec", Kind::kMonth, 12},
    // Russian months: nominative, genitive ("15 марта"), prepositional ("в марте").
    {"январь", Kind::kMonth, 1},
    {"января", Kind::kMonth, 1},
    {"январе", Kind::kMonth, 1},
    {"февраль", Kind::kMonth, 2},
    {"февраля", Kind::kMonth, 2},
    {"феврале", Kind::kMonth, 2},
    {"март", Kind::kMonth, 3},
    {"марта", Kind::kMonth, 3},
    {"марте", Kind::kMonth, 3},
    {"апрель", Kind::kMonth, 4},
    {"апреля", Kind::kMonth, 4},
    {"апреле", Kind::kMonth, 4},
    {"май", Kind::kMonth, 5},
    {"мая", Kind::kMonth, 5},
    {"мае", Kind::kMonth, 5},
    {"июнь", Kind::kMonth, 6},
    {"июня", Kind::kMonth, 6},
    {"июне", Kind::kMonth, 6},
    {"июль", Kind::kMonth, 7},
    {"июля", Kind::kMonth, 7},
    {"июле", Kind::kMonth, 7},
    {"август", Kind::kMonth, 8},
    {"августа", Kind::kMonth, 8},
    {"августе", Kind::kMonth, 8},
    {"сентябрь", Kind::kMonth, 9},
    {"сентября", Kind::kMonth, 9},
    {"сентябре", Kind::kMonth, 9},
    {"октябрь", Kind::kMonth, 10},
    {"октября", Kind::kMonth, 10},
    {"октябре", Kind::kMonth, 10},
    {"ноябрь", Kind::kMonth, 11},
    {"ноября", Kind::kMonth, 11},
    {"ноябре", Kind::kMonth, 11},
    {"декабрь", Kind::kMonth, 12},
    {"декабря", Kind::kMonth, 12},
    {"декабре", Kind::kMonth, 12},
    // Kazakh months.
    {"қаңтар", Kind::kMonth, 1},
    {"ақпан", Kind::kMonth, 2},
    {"наурыз", Kind::kMonth, 3},
    {"сәуір", Kind::kMonth, 4},
    {"мамыр", Kind::kMonth, 5},
    {"маусым", Kind::kMonth, 6},
    {"шілде", Kind::kMonth, 7},
    {"тамыз", Kind::kMonth, 8},
    {"қыркүйек", Kind::kMonth, 9},
    {"қазан", Kind::kMonth, 10},
    {"қараша", Kind::kMonth, 11},
    {"желтоқсан", Kind::kMonth, 12},
    // Uyghur months (Arabic script), also in the locative "in March" (مارتتا).
    {"يانۋار", Kind::kMonth, 1},
    {"يانۋاردا", Kind::kMonth, 1},
    {"فېۋرال", Kind::kMonth, 2},
    {"فېۋرالدا", Kind::kMonth, 2},
    {"مارت", Kind::kMonth, 3},
    {"مارتتا", Kind::kMonth, 3},
    {"ئاپرېل", Kind::kMonth, 4},
    {"ئاپرېلدا", Kind::kMonth, 4},
    {"ماي", Kind::kMonth, 5},
    {"مايدا", Kind::kMonth, 5},
    {"ئىيۇن", Kind::kMonth, 6},
    {"ئىيۇندا", Kind::kMonth, 6},
    {"ئىيۇل", Kind::kMonth, 7},
    {"ئىيۇلدا", Kind::kMonth, 7},
    {"ئاۋغۇست", Kind::kMonth, 8},
    {"ئاۋغۇستتا", Kind::kMonth, 8},
    {"سېنتەبىر", Kind::kMonth, 9},
    {"سېنتەبىردە", Kind::kMonth, 9},
    {"ئۆكتەبىر", Kind::kMonth, 10},
    {"ئۆكتەبىردە", Kind::kMonth, 10},
    {"نويابىر", Kind::kMonth, 11},
    {"نويابىردا", Kind::kMonth, 11},
    {"دېكابىر", Kind::kMonth, 12},
    {"دېكابىردا", Kind::kMonth, 12},
    // Seasons: 0 spring, 1 summer, 2 autumn, 3 winter. Russian and Kazakh also in the
    // forms used for "in spring" (весной, көктемде).
    {"spring", Kind::kSeason, 0},
    {"summer", Kind::kSeason, 1},
    {"autumn", Kind::kSeason, 2},
    {"fall", Kind::kSeason, 2},
    {"winter", Kind::kSeason, 3},
    {"весна", Kind::kSeason, 0},
    {"весной", Kind::kSeason, 0},
    {"лето", Kind::kSeason, 1},
    {"летом", Kind::kSeason, 1},
    {"осень", Kind::kSeason, 2},
    {"осенью", Kind::kSeason, 2},
    {"зима", Kind::kSeason, 3},
    {"зимой", Kind::kSeason, 3},
    {"көктем", Kind::kSeason, 0},
    {"көктемде", Kind::kSeason, 0},
    {"жаз", Kind::kSeason, 1},
    {"жазда", Kind::kSeason, 1},
    {"күз", Kind::kSeason, 2},
    {"күзде", Kind::kSeason, 2},
    {"қыс", Kind::kSeason, 3},
    {"қыста", Kind::kSeason, 3},
    {"باھار", Kind::kSeason, 0},
    {"باھاردا", Kind::kSeason, 0},
    {"ئەتىياز", Kind::kSeason, 0},
    {"ئەتىيازدا", Kind::kSeason, 0},
    {"ياز", Kind::kSeason, 1},
    {"يازدا", Kind::kSeason, 1},
    {"كۈز", Kind::kSeason, 2},
    {"كۈزدە", Kind::kSeason, 2},
    {"قىش", Kind::kSeason, 3},
    {"قىشتا", Kind::kSeason, 3},
    // Parts of a year: 0 early, 1 mid, 2 late.
    {"early", Kind::kPartOfYear, 0},
    {"mid", Kind::kPartOfYear, 1},
    {"middle", Kind::kPartOfYear, 1},
    {"late", Kind::kPartOfYear, 2},
    {"начало", Kind::kPartOfYear, 0},
    {"начале", Kind::kPartOfYear, 0},
    {"середина", Kind::kPartOfYear, 1},
    {"середине", Kind::kPartOfYear, 1},
    {"конец", Kind::kPartOfYear, 2},
    {"конце", Kind::kPartOfYear, 2},
    {"басында", Kind::kPartOfYear, 0},
    {"ортасында", Kind::kPartOfYear, 1},
    {"соңында", Kind::kPartOfYear, 2},
    {"аяғында", Kind::kPartOfYear, 2},
    {"بېشى", Kind::kPartOfYear, 0},
    {"بېشىدا", Kind::kPartOfYear, 0},
    {"ئوتتۇرىسى", Kind::kPartOfYear, 1},
    {"ئوتتۇرىسىدا", Kind::kPartOfYear, 1},
    {"ئاخىرى", Kind::kPartOfYear, 2},
    {"ئاخىرىدا", Kind::kPartOfYear, 2},
    // Approximation.
    {"about", Kind::kAbout, 0},
    {"around", Kind::kAbout, 0},
    {"circa", Kind::kAbout, 0},
    {"ca.", Kind::kAbout, 0},
    {"ca", Kind::kAbout, 0},
    {"c.", Kind::kAbout, 0},
    {"approx.", Kind::kAbout, 0},
    {"approx", Kind::kAbout, 0},
    {"approximately", Kind::kAbout, 0},
    {"~", Kind::kAbout, 0},
    {"около", Kind::kAbout, 0},
    {"примерно", Kind::kAbout, 0},
    {"приблизительно", Kind::kAbout, 0},
    {"шамамен", Kind::kAbout, 0},
    {"шамасында", Kind::kAbout, 0},
    {"تەخمىنەن", Kind::kAbout, 0},
    {"ئەتراپىدا", Kind::kAbout, 0},
    // Open ends: before the date in English and Russian, after it in Kazakh and
    // Uyghur ("2019 жылға дейін", "2016-يىلىدىن كېيىن").
    {"before", Kind::kBefore, 0},
    {"до", Kind::kBefore, 0},
    {"дейін", Kind::kBefore, 0},
    {"бұрын", Kind::kBefore, 0},
    {"بۇرۇن", Kind::kBefore, 0},
    {"ئىلگىرى", Kind::kBefore, 0},
    {"after", Kind::kAfter, 0},
    {"после", Kind::kAfter, 0},
    {"кейін", Kind::kAfter, 0},
    {"كېيىن", Kind::kAfter, 0},
    // "2018 г.", "2018 года", "2018 ж.", "2018 жылы": the word "year" after a number.
    {"г", Kind::kYearWord, 0},
    {"г.", Kind::kYearWord, 0},
    {"год", Kind::kYearWord, 0},
    {"года", Kind::kYearWord, 0},
    {"году", Kind::kYearWord, 0},
    {"ж", Kind::kYearWord, 0},
    {"ж.", Kind::kYearWord, 0},
    {"жыл", Kind::kYearWord, 0},
    {"жылы", Kind::kYearWord, 0},
    {"жылға", Kind::kYearWord, 0},
    {"жылдан", Kind::kYearWord, 0},
    {"жылдың", Kind::kYearWord, 0},
    {"يىل", Kind::kYearWord, 0},
    {"يىلى", Kind::kYearWord, 0},
    {"يىلىنىڭ", Kind::kYearWord, 0},
    {"يىلىدىن", Kind::kYearWord, 0},
    {"يىلدىن", Kind::kYearWord, 0},
    // Words that carry no date: "in March 2018", "в марте 2018", "the end of 2018".
    {"in", Kind::kFiller, 0},
    {"of", Kind::kFiller, 0},
    {"the", Kind::kFiller, 0},
    {"в", Kind::kFiller, 0},
    {"во", Kind::kFiller, 0},
});

void AppendUtf8(std::string& out, unsigned cp) {
  out += static_cast<char>(0xC0 | (cp >> 6));
  out += static_cast<char>(0x80 | (cp & 0x3F));
}

}  // namespace

std::string LowerCase(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const auto b0 = static_cast<unsigned char>(text[i]);
    if (b0 >= 'A' && b0 <= 'Z') {
      out += static_cast<char>(b0 + ('a' - 'A'));
      continue;
    }
    // Cyrillic is U+0400..U+04FF, two bytes starting D0..D3.
    if (b0 >= 0xD0 && b0 <= 0xD3 && i + 1 < text.size() &&
        (static_cast<unsigned char>(text[i + 1]) & 0xC0) == 0x80) {
      unsigned cp = ((b0 & 0x1Fu) << 6) | (static_cast<unsigned char>(text[i + 1]) & 0x3Fu);
      if (cp >= 0x410 && cp <= 0x42F) {
        cp += 0x20;  // А-Я
      } else if (cp >= 0x400 && cp <= 0x40F) {
        cp += 0x50;  // Ё, І and others
      } else if (((cp >= 0x48A && cp <= 0x4BF) || (cp >= 0x4D0 && cp <= 0x4FF)) && cp % 2 == 0) {
        cp += 1;  // Kazakh Ғ Қ Ң Ү Ұ Һ Ә Ө: capital and small letters are adjacent pairs
      }
      AppendUtf8(out, cp);
      ++i;
      continue;
    }
    out += static_cast<char>(b0);
  }
  return out;
}

std::optional<CalendarWord> LookUpCalendarWord(std::string_view word) {
  for (const Entry& entry : kWords) {
    if (entry.word == word) return CalendarWord{entry.kind, entry.value};
  }
  return std::nullopt;
}

}  // namespace izde::dates
