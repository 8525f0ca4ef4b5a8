#include "names/normalize.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

namespace izde::names {
namespace {

// Characters that separate the parts of one name: Chinese documents join Turkic name
// parts with a middle dot, Russian-style lists put a comma after the surname.
bool IsSeparator(UChar32 c) {
  switch (c) {
    case u'·':    // U+00B7 middle dot (Chinese transcriptions)
    case 0x30FB:  // katakana middle dot, often typed for the above
    case 0x2027:  // hyphenation point
    case 0x2022:  // bullet
    case 0x2219:  // bullet operator
    case 0xFF0E:  // fullwidth full stop
    case 0x3002:  // ideographic full stop
    case 0xFF0C:  // fullwidth comma
    case 0x060C:  // Arabic comma
    case '-':
    case 0x2010:
    case 0x2011:
    case 0x2013:
    case 0x2014:
    case ',':
    case '/':
    case '.':
    case '_':
      return true;
    default:
      return u_isUWhiteSpace(c);
  }
}

// Apostrophe-like letters stay inside a token: ULY writes sen'et, Kazakh Latin uses
// the modifier letter apostrophe. They are dropped later, when keys are made.
bool IsInWordMark(UChar32 c) {
  return c == '\'' || c == 0x2019 || c == 0x02BC || c == 0x02BB || c == 0x02B9;
}

}  // namespace

Result<std::string> Normalize(std::string_view name) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(name.data());
  const int32_t length = static_cast<int32_t>(name.size());
  if (name.size() > static_cast<size_t>(kMaxNameCodePoints) * 4) {
    return Status::InvalidInput("the name is " + std::to_string(name.size()) +
                                " bytes long; a name may have at most " +
                                std::to_string(kMaxNameCodePoints) + " characters");
  }
  icu::UnicodeString kept;
  int32_t code_points = 0;
  bool pending_space = false;
  for (int32_t i = 0; i < length;) {
    const int32_t at = i;
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    if (c < 0) {
      return Status::InvalidInput("the name is not valid UTF-8 (bad byte at offset " +
                                  std::to_string(at) +
                                  "); re-save the file as UTF-8 or retype the name");
    }
    if (++code_points > kMaxNameCodePoints) {
      return Status::InvalidInput("the name is longer than " + std::to_string(kMaxNameCodePoints) +
                                  " characters; is a whole text pasted into the name field?");
    }
    if (c == 0x0130) c = 'I';  // Turkish dotted capital I: fold to plain i, not i + dot
    if (IsSeparator(c)) {
      pending_space = !kept.isEmpty();
      continue;
    }
    const int8_t type = u_charType(c);
    const bool letter = type == U_UPPERCASE_LETTER || type == U_LOWERCASE_LETTER ||
                        type == U_TITLECASE_LETTER || type == U_OTHER_LETTER ||
                        (type == U_MODIFIER_LETTER && c != 0x0640);  // 0x0640 tatweel
    const bool mark =
        type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK || type == U_ENCLOSING_MARK;
    if (!letter && !mark && !IsInWordMark(c)) continue;  // punctuation, emoji, controls
    if (mark && kept.isEmpty()) continue;                // a mark with nothing to sit on
    if (pending_space) kept.append(u' ');
    pending_space = false;
    kept.append(c);
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status))
    return Status::Io("ICU has no NFC data: " + std::string(u_errorName(status)));
  kept.foldCase();
  icu::UnicodeString normalized = nfc->normalize(kept, status);
  if (U_FAILURE(status)) return Status::InvalidInput("the name cannot be normalised");
  bool has_letter = false;
  for (int32_t i = 0; i < normalized.length();) {
    const UChar32 c = normalized.char32At(i);
    if (u_isalpha(c)) has_letter = true;
    i += U16_LENGTH(c);
  }
  if (!has_letter) {
    return Status::InvalidInput(
        "the name has no letters (only punctuation, digits, "
        "symbols or invisible characters)");
  }
  std::string out;
  normalized.toUTF8String(out);
  return out;
}

std::vector<std::string> Tokens(std::string_view normalized) {
  std::vector<std::string> tokens;
  size_t start = 0;
  while (start < normalized.size()) {
    size_t end = normalized.find(' ', start);
    if (end == std::string_view::npos) end = normalized.size();
    if (end > start) tokens.emplace_back(normalized.substr(start, end - start));
    start = end + 1;
  }
  return tokens;
}

}  // namespace izde::names
