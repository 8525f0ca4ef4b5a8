#include "names/script.h"

#include <unicode/uscript.h>
#include <unicode/utf8.h>

namespace izde::names {
namespace {

// Returns kMixed for characters that belong to no script of their own (marks,
// apostrophes), meaning "same as the neighbour".
Script ScriptOf(UChar32 c) {
  UErrorCode status = U_ZERO_ERROR;
  const UScriptCode code = uscript_getScript(c, &status);
  if (U_FAILURE(status)) return Script::kOther;
  switch (code) {
    case USCRIPT_LATIN:
      return Script::kLatin;
    case USCRIPT_CYRILLIC:
      return Script::kCyrillic;
    case USCRIPT_ARABIC:
      return Script::kArabic;
    case USCRIPT_HAN:
      return Script::kHan;
    case USCRIPT_COMMON:
    case USCRIPT_INHERITED:
      return Script::kMixed;
    default:
      return Script::kOther;
  }
}

}  // namespace

std::string_view ScriptName(Script script) {
  switch (script) {
    case Script::kLatin:
      return "latin";
    case Script::kCyrillic:
      return "cyrillic";
    case Script::kArabic:
      return "arabic";
    case Script::kHan:
      return "han";
    case Script::kOther:
      return "other";
    case Script::kMixed:
      return "mixed";
  }
  return "other";
}

std::vector<ScriptRun> SplitByScript(std::string_view token) {
  std::vector<ScriptRun> runs;
  std::string neutral_prefix;  // marks or apostrophes before the first letter
  const auto* bytes = reinterpret_cast<const uint8_t*>(token.data());
  const int32_t length = static_cast<int32_t>(token.size());
  for (int32_t i = 0; i < length;) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    if (c < 0) continue;  // callers pass normalised, valid UTF-8; skip defensively
    const Script script = ScriptOf(c);
    const std::string_view piece = token.substr(start, i - start);
    if (script == Script::kMixed) {
      if (runs.empty()) {
        neutral_prefix.append(piece);
      } else {
        runs.back().text.append(piece);
      }
    } else if (!runs.empty() && runs.back().script == script) {
      runs.back().text.append(piece);
    } else {
      runs.push_back({script, std::move(neutral_prefix)});
      neutral_prefix.clear();
      runs.back().text.append(piece);
    }
  }
  if (runs.empty() && !neutral_prefix.empty()) runs.push_back({Script::kOther, neutral_prefix});
  return runs;
}

Script DetectScript(std::string_view token) {
  const std::vector<ScriptRun> runs = SplitByScript(token);
  if (runs.empty()) return Script::kOther;
  if (runs.size() > 1) return Script::kMixed;
  return runs[0].script;
}

bool LooksUyghurCyrillic(std::string_view token) {
  // җ U+0497, Җ U+0496 (folded away already, kept for callers with raw text)
  return token.find("\xD2\x97") != std::string_view::npos ||
         token.find("\xD2\x96") != std::string_view::npos;
}

}  // namespace izde::names
