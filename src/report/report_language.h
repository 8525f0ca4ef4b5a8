// The words of printed reports in the five interface languages. Report-specific strings
// are in src/report/i18n/<code>.json; the words the web interface already has (event
// kinds, relations, genders, field names) come from its catalogs, src/server/i18n, so a
// case file says "detained" exactly as the person page does. Both are compiled in.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace izde::report {

// "en", "ru", "kk", "ug", "zh".
const std::vector<std::string>& ReportLanguages();
bool IsReportLanguage(std::string_view code);
bool IsRightToLeft(std::string_view code);
// A BCP 47 tag for text shaping ("zh-Hans" picks the simplified CJK glyphs).
std::string ShapingLanguage(std::string_view code);

// `text` isolated for right-to-left languages (U+2068 .. U+2069), so that a date or an id
// keeps its order among right-to-left words; unchanged otherwise.
std::string Isolate(std::string_view lang, const std::string& text);

class Words {
 public:
  explicit Words(std::string lang);
  const std::string& lang() const { return lang_; }
  // The text of `key` in this language, else in English, else the key itself (so a
  // gap shows). `{name}` placeholders are replaced from `values`.
  std::string operator()(const std::string& key,
                         const std::map<std::string, std::string>& values = {}) const;
  bool Has(const std::string& key) const;

 private:
  std::string lang_;
};

}  // namespace izde::report
