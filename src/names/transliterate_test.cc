#include "names/transliterate.h"

#include <gtest/gtest.h>

#include "names/normalize.h"

namespace izde::names {
namespace {

std::string Latin(std::string_view token) {
  auto r = ToLatin(token);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? r.value() : "";
}

TEST(ToLatin, KazakhCyrillicByBgn) {
  EXPECT_EQ(Latin("қалида"), "qalīda");
  EXPECT_EQ(Latin("ақытхан"), "aqytkhan");
  EXPECT_EQ(Latin("тұрсынұлы"), "tursynuly");
}

TEST(ToLatin, RussianCyrillicThroughTheKazakhRules) {
  EXPECT_EQ(Latin("юсуп"), "yusūp");  // BGN reads Kazakh у as ū
  EXPECT_EQ(Latin("жумабаев"), "zhūmabaev");
}

TEST(ToLatin, UyghurArabicToUly) {
  EXPECT_EQ(Latin("ئىلھام"), "ilham");
  EXPECT_EQ(Latin("توختى"), "toxti");
  EXPECT_EQ(Latin("ئۈرۈمچى"), "ürümchi");
  EXPECT_EQ(Latin("مەمەت"), "memet");
  EXPECT_EQ(Latin("تۇرسۇن"), "tursun");
  EXPECT_EQ(Latin("غۇلجا"), "ghulja");
  EXPECT_EQ(Latin("ئايگۈل"), "aygül");
  EXPECT_EQ(Latin("جۇڭگو"), "junggo");
  EXPECT_EQ(Latin("سەنئەت"), "sen'et");  // hamza seat between vowels
  EXPECT_EQ(Latin("يۈسۈپ"), "yüsüp");
  EXPECT_EQ(Latin("ۋەلى"), "weli");
  EXPECT_EQ(Latin("ئۆمەر"), "ömer");
  EXPECT_EQ(Latin("ئېلى"), "éli");
}

TEST(ToLatin, UyghurArabicPresentationForms) {
  // ﺗﻮﺧﺘﻰ: the same word typed with presentation-form code points.
  EXPECT_EQ(Latin("\uFE97\uFEEE\uFEA7\uFE98\uFEF0"), "toxti");
}

TEST(ToLatin, UyghurCyrillicToUly) {
  EXPECT_EQ(Latin("җамал"), "jamal");
  EXPECT_EQ(Latin("җүмә"), "jüme");
  EXPECT_EQ(Latin("қурбанҗан"), "qurbanjan");
  EXPECT_EQ(Latin("ғоҗа"), "ghoja");
}

TEST(ToLatin, ChineseAsTonelessPinyin) {
  EXPECT_EQ(Latin("阿克提汗"), "aketihan");
  EXPECT_EQ(Latin("买买提"), "maimaiti");
  EXPECT_EQ(Latin("吐尔逊"), "tuerxun");
}

TEST(ToLatin, MixedScriptTokenRunByRun) { EXPECT_EQ(Latin("qалида"), "qalīda"); }

TEST(ToLatin, LatinUnchanged) { EXPECT_EQ(Latin("tohti"), "tohti"); }

TEST(ToLatin, OtherScriptsThroughAnyLatin) { EXPECT_FALSE(Latin("ελένη").empty()); }

}  // namespace
}  // namespace izde::names
