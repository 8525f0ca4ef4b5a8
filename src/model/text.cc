#include "model/text.h"

#include <unicode/normalizer2.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <map>

namespace izde::model {

bool IsValidUtf8(std::string_view s) {
  int32_t i = 0;
  const int32_t n = static_cast<int32_t>(s.size());
  while (i < n) {
    UChar32 c;
    U8_NEXT(s.data(), i, n, c);
    if (c < 0) return false;
  }
  return true;
}

std::string DetectScript(std::string_view text) {
  std::map<UScriptCode, int> counts;
  int32_t i = 0;
  const int32_t n = static_cast<int32_t>(text.size());
  while (i < n) {
    UChar32 c;
    U8_NEXT(text.data(), i, n, c);
    if (c < 0) continue;
    UErrorCode err = U_ZERO_ERROR;
    UScriptCode sc = uscript_getScript(c, &err);
    if (U_FAILURE(err) || sc == USCRIPT_COMMON || sc == USCRIPT_INHERITED) continue;
    ++counts[sc];
  }
  UScriptCode best = USCRIPT_COMMON;
  int best_n = 0;
  for (auto [sc, k] : counts)
    if (k > best_n) best = sc, best_n = k;
  return uscript_getShortName(best);
}

std::string NormalizeText(std::string_view text) {
  UErrorCode err = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(err);
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), text.size()));
  icu::UnicodeString out = U_SUCCESS(err) ? nfc->normalize(u, err) : u;
  if (U_FAILURE(err)) out = u;
  out.trim();
  std::string s;
  out.toUTF8String(s);
  return s;
}

}  // namespace izde::model
