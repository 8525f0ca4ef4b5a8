#include "dates/han_date_words.h"

#include <array>
#include <regex>

namespace izde::dates {
namespace {

struct Replacement {
  std::string_view han;
  std::string_view words;
};

// Longest first where one is the start of another (年初 before 年, 以前 before 前).
constexpr std::array kReplacements = std::to_array<Replacement>({
    {"春天", " spring "}, {"春季", " spring "}, {"春", " spring "},   {"夏天", " summer "},
    {"夏季", " summer "}, {"夏", " summer "},   {"秋天", " autumn "}, {"秋季", " autumn "},
    {"秋", " autumn "},   {"冬天", " winter "}, {"冬季", " winter "}, {"冬", " winter "},
    {"年初", " early "},  {"年中", " mid "},    {"年底", " late "},   {"年末", " late "},
    {"初", " early "},    {"底", " late "},     {"大约", " about "},  {"大概", " about "},
    {"左右", " about "},  {"约", " about "},    {"以前", " before "}, {"之前", " before "},
    {"前", " before "},   {"以后", " after "},  {"之后", " after "},  {"后", " after "},
    {"至", " - "},        {"到", " - "},        {"从", " from "},     {"在", " "},
    {"年", " "},          {"，", " "},          {"～", " - "},
});

constexpr size_t kLongestHanDate = 120;

}  // namespace

bool HasHanDateWords(std::string_view text) {
  // CJK ideographs and punctuation are 3-byte UTF-8 sequences starting E3..E9; the
  // full-width forms (digits, comma, tilde) start EF.
  for (char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if ((b >= 0xE3 && b <= 0xE9) || b == 0xEF) return true;
  }
  return false;
}

std::string SpellOutHanDate(std::string_view text) {
  // A date is a few words. std::regex recurses per character, so longer text (which is
  // no date anyway) is left for the parser to refuse.
  if (text.size() > kLongestHanDate) return std::string(text);
  // Full-width digits U+FF10..U+FF19 (EF BC 90..99) as ASCII digits.
  std::string ascii;
  ascii.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (i + 2 < text.size() && static_cast<unsigned char>(text[i]) == 0xEF &&
        static_cast<unsigned char>(text[i + 1]) == 0xBC &&
        static_cast<unsigned char>(text[i + 2]) >= 0x90 &&
        static_cast<unsigned char>(text[i + 2]) <= 0x99) {
      ascii += static_cast<char>('0' + (static_cast<unsigned char>(text[i + 2]) - 0x90));
      i += 2;
      continue;
    }
    ascii += text[i];
  }
  // 2018年3月15日 (or 号), 2018年3月: ISO 8601, so the parser checks the day and month.
  static const std::regex day(R"((\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*(?:日|号))");
  static const std::regex month(R"((\d{4})\s*年\s*(\d{1,2})\s*月(?:份)?)");
  auto pad = [](const std::string& s) { return s.size() == 1 ? "0" + s : s; };
  std::string out;
  std::smatch m;
  for (const auto* pattern : {&day, &month}) {
    out.clear();
    auto from = ascii.cbegin();
    while (std::regex_search(from, ascii.cend(), m, *pattern)) {
      out.append(from, m[0].first);
      out += " " + m[1].str() + "-" + pad(m[2].str());
      if (pattern == &day) out += "-" + pad(m[3].str());
      out += " ";
      from = m[0].second;
    }
    out.append(from, ascii.cend());
    ascii = out;
  }
  for (const auto& r : kReplacements) {
    for (size_t at = ascii.find(r.han); at != std::string::npos; at = ascii.find(r.han, at)) {
      ascii.replace(at, r.han.size(), r.words);
      at += r.words.size();
    }
  }
  return ascii;
}

}  // namespace izde::dates
