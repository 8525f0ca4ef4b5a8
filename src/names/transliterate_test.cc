#include "names/transliterate.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

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

namespace izde::names {
namespace {

// ../shared/data/translit/uighur_arabic.csv holds Library of Congress test strings in
// Uyghur Arabic script with their ALA-LC romanisation. ULY differs from ALA-LC only
// in letters, so converting our ULY output letter by letter must reproduce them.
std::string UlyToAlaLc(const std::string& uly) {
  std::string out;
  for (size_t i = 0; i < uly.size(); ++i) {
    if (uly.compare(i, 2, "é") == 0) {
      out += "e";
      ++i;
    } else if (uly[i] == 'e') {
      out += "ă";
    } else if (uly[i] == 'x') {
      out += "kh";
    } else if (uly[i] == 'w') {
      out += "v";
    } else if (uly[i] == '\'') {
      out += "ʼ";
    } else {
      out += uly[i];
    }
  }
  return out;
}

TEST(ToLatin, LibraryOfCongressUyghurTestStrings) {
  const char* shared = std::getenv("IZDE_SHARED_DIR");
  const std::string path =
      std::string(shared ? shared : "../shared") + "/data/translit/uighur_arabic.csv";
  std::ifstream in(path);
  ASSERT_TRUE(in) << "cannot open " << path;
  std::string line;
  int checked = 0;
  while (std::getline(in, line)) {
    const size_t first = line.find(',');
    const size_t second = line.find(',', first + 1);
    ASSERT_NE(second, std::string::npos);
    const std::string arabic = line.substr(first + 1, second - first - 1);
    const std::string expected = line.substr(second + 1);
    std::string romanised;
    for (const std::string& token : Tokens(arabic)) {
      auto latin = ToLatin(token);
      ASSERT_TRUE(latin.ok());
      if (!romanised.empty()) romanised += ' ';
      romanised += UlyToAlaLc(*latin);
    }
    EXPECT_EQ(romanised, expected) << arabic;
    ++checked;
  }
  EXPECT_EQ(checked, 4);
}

}  // namespace
}  // namespace izde::names
