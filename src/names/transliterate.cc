#include "names/transliterate.h"

#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <memory>

#include "names/script.h"
#include "names/uyghur_rules.h"

namespace izde::names {
namespace {

// ICU transliterators are not safe to share between threads while transliterating,
// and building one (Han-Latin especially) takes milliseconds: one set per thread.
struct Transforms {
  std::unique_ptr<icu::Transliterator> kazakh;
  std::unique_ptr<icu::Transliterator> han;
  std::unique_ptr<icu::Transliterator> uyghur_arabic;
  std::unique_ptr<icu::Transliterator> uyghur_cyrillic;
  std::unique_ptr<icu::Transliterator> other;
  Status status;
};

std::unique_ptr<icu::Transliterator> FromId(const char* id, Status& status) {
  UErrorCode error = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> t(
      icu::Transliterator::createInstance(icu::UnicodeString::fromUTF8(id), UTRANS_FORWARD, error));
  if (U_FAILURE(error) || !t) {
    status = Status::Io(std::string("the ICU transliterator ") + id +
                        " is missing from this ICU installation (" + u_errorName(error) +
                        "); install the full ICU data (Debian: libicu72)");
    return nullptr;
  }
  return t;
}

std::unique_ptr<icu::Transliterator> FromRules(const char* id, const char16_t* rules,
                                               Status& status) {
  UErrorCode error = U_ZERO_ERROR;
  UParseError parse_error;
  std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createFromRules(
      icu::UnicodeString::fromUTF8(id), icu::UnicodeString(rules), UTRANS_FORWARD, parse_error,
      error));
  if (U_FAILURE(error) || !t) {
    status =
        Status::Corrupt(std::string("izde's built-in rules ") + id + " do not compile at line " +
                        std::to_string(parse_error.line) + ": " + u_errorName(error));
    return nullptr;
  }
  return t;
}

Transforms MakeTransforms() {
  Transforms t;
  t.kazakh = FromId("Kazakh-Latin/BGN", t.status);
  t.han = FromId("Han-Latin/Names; Latin-ASCII", t.status);
  t.other = FromId("Any-Latin", t.status);
  t.uyghur_arabic = FromRules("izde-UyghurArabic-ULY", kUyghurArabicToUlyRules, t.status);
  t.uyghur_cyrillic = FromRules("izde-UyghurCyrillic-ULY", kUyghurCyrillicToUlyRules, t.status);
  return t;
}

Transforms& ThreadTransforms() {
  thread_local Transforms transforms = MakeTransforms();
  return transforms;
}

std::string Apply(icu::Transliterator& t, std::string_view text, bool drop_spaces) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  t.transliterate(u);
  u.foldCase();
  if (drop_spaces) u.findAndReplace(u" ", u"");
  std::string out;
  u.toUTF8String(out);
  return out;
}

}  // namespace

Result<std::string> ToLatin(std::string_view token) {
  Transforms& t = ThreadTransforms();
  if (!t.status.ok()) return t.status;
  std::string latin;
  for (const ScriptRun& run : SplitByScript(token)) {
    switch (run.script) {
      case Script::kLatin:
      case Script::kMixed:
        latin += run.text;
        break;
      case Script::kCyrillic:
        latin +=
            Apply(LooksUyghurCyrillic(run.text) ? *t.uyghur_cyrillic : *t.kazakh, run.text, false);
        break;
      case Script::kArabic:
        latin += Apply(*t.uyghur_arabic, run.text, false);
        break;
      case Script::kHan:
        latin += Apply(*t.han, run.text, true);
        break;
      case Script::kOther:
        latin += Apply(*t.other, run.text, false);
        break;
    }
  }
  return latin;
}

Result<std::string> HanToPinyin(std::string_view han) {
  Transforms& t = ThreadTransforms();
  if (!t.status.ok()) return t.status;
  return Apply(*t.han, han, true);
}

}  // namespace izde::names
