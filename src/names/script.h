// Which writing system a name token is in. Decides which transliterator turns it
// into the common matching alphabet.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace izde::names {

enum class Script {
  kLatin,
  kCyrillic,  // Kazakh, Russian or Uyghur Cyrillic; see CyrillicVariant
  kArabic,    // Uyghur Arabic script (UEY)
  kHan,       // Chinese characters
  kOther,     // any other script: kept, transliterated by ICU's Any-Latin
  kMixed,     // more than one of the above inside one token
};

std::string_view ScriptName(Script script);

// Script of a whole token; marks and apostrophes take the script of their base.
Script DetectScript(std::string_view token);

// A maximal run of one script inside a token (mixed tokens have several).
struct ScriptRun {
  Script script;
  std::string text;
};
std::vector<ScriptRun> SplitByScript(std::string_view token);

// Uyghur Cyrillic has җ, which Kazakh and Russian lack; everything else is read
// with the Kazakh rules, which also cover Russian letters.
bool LooksUyghurCyrillic(std::string_view token);

}  // namespace izde::names
