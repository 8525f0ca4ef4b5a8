#include "names/compare.h"

#include <gtest/gtest.h>

#include "names/explain.h"
#include "names/search_keys.h"
#include "names/similarity.h"

namespace izde::names {
namespace {

double Score(std::string_view a, std::string_view b) {
  auto c = Compare(a, b);
  EXPECT_TRUE(c.ok()) << c.status().message();
  return c.ok() ? c->score : -1;
}

bool Same(std::string_view a, std::string_view b) {
  auto c = Compare(a, b);
  EXPECT_TRUE(c.ok()) << c.status().message();
  return c.ok() && c->same;
}

TEST(Compare, KazakhAcrossScriptsAndRomanisations) {
  const char* forms[] = {"Қалида Ақытхан", "Qalida Akytkhan", "Kalida Akytkan",
                         "Qalida Aqytqan", "卡丽达·阿克提汗", "Kalida Aketihan"};
  for (const char* a : forms) {
    for (const char* b : forms) EXPECT_TRUE(Same(a, b)) << a << " / " << b << " " << Score(a, b);
  }
}

TEST(Compare, UyghurAcrossScriptsAndRomanisations) {
  const char* forms[] = {"ئىلھام توختى", "Ilham Toxti",     "Ilham Tohti",    "Илһам Тохти",
                         "İlham Tohti",  "伊力哈木·土赫提", "Yilihamu Tuheti"};
  for (const char* a : forms) {
    for (const char* b : forms) EXPECT_TRUE(Same(a, b)) << a << " / " << b << " " << Score(a, b);
  }
}

TEST(Compare, ChineseSyllableTranscriptions) {
  EXPECT_TRUE(Same("买买提 吐尔逊", "Memet Tursun"));
  EXPECT_TRUE(Same("Maimaiti Tuerxun", "Mämet Tursyn"));
  EXPECT_TRUE(Same("阿依古丽·买买提", "Aygül Memet"));
  EXPECT_GT(KeySimilarity("memeti", "memet"), 0.9);
}

TEST(Compare, OrderDoesNotMatter) {
  EXPECT_TRUE(Same("Tursunov Nurlan", "Nurlan Tursunov"));
  EXPECT_DOUBLE_EQ(Score("Tursun Memet", "Memet Tursun"), 1.0);
}

// When both names say which part is the father's (a patronymic or surname ending,
// or the Given·Father order of Chinese characters), the parts are compared by role:
// Nurlan son of Bekxan is not Bekxan son of Nurlan. When one name does not say,
// either order is the same name (lists write both).
TEST(Compare, PartRolesDecideTheOrderWhenBothNamesSayThem) {
  EXPECT_FALSE(Same("Nurlan Bekxanuly", "Bekxan Nurlanuly"));
  EXPECT_FALSE(Same("Nurlan Bekxanov", "Бекхан Нұрланұлы"));
  EXPECT_FALSE(Same("卡斯木·阿不都拉", "Abdulla Qasimov"));
  EXPECT_FALSE(Same("卡斯木·阿不都拉", "阿不都拉·卡斯木"));
  EXPECT_TRUE(Same("Bekxanov Nurlan", "Nurlan Bekkhanuly"));  // surname first, same roles
  EXPECT_TRUE(Same("Бекханұлы Нұрлан", "努尔兰·别克汗"));
  EXPECT_TRUE(Same("Abdulla Qasim", "卡斯木·阿不都拉"));  // one side does not say
  EXPECT_TRUE(Same("Memet Memetov", "买买提·买买提"));
}

// One character different is another name, not a spelling of the same one; the
// same name in every script and transcription still is.
TEST(Compare, ADifferentCharacterIsAnotherName) {
  EXPECT_FALSE(Same("古丽扎尔", "古丽娜尔"));  // Gülzar / Gülnar
  EXPECT_FALSE(Same("古丽扎尔·阿迪力江", "古丽娜尔·阿迪力江"));
  EXPECT_FALSE(Same("张军明", "王军明"));
  EXPECT_FALSE(Same("张芳林", "张芳敏"));
  EXPECT_FALSE(Same("王秀文", "王秀芳"));  // wen / fang: f and v, n and ng differ too
  EXPECT_FALSE(Same("Gülzar Memet", "Gülnar Memet"));
  const char* gulnar[] = {"Gulnar", "Гүлнар", "Гулнар", "古丽娜尔", "Gülnar", "Gulinaer"};
  for (const char* a : gulnar)
    for (const char* b : gulnar) EXPECT_TRUE(Same(a, b)) << a << " / " << b << " " << Score(a, b);
  EXPECT_TRUE(Same("托合提", "吐合提"));  // two transcriptions of Toxti
  EXPECT_TRUE(Same("买买提", "麦麦提"));  // and of Memet
}

// A Han person's name has one spelling: a different syllable is a different
// character. The same name in characters, pinyin and either order still matches, and
// so does a pinyin spelling one slip of typing away that is not pinyin any more.
TEST(Compare, HanNamesDifferingInASyllableAreDifferentNames) {
  EXPECT_FALSE(Same("Li Wei", "Liu Wei"));
  EXPECT_FALSE(Same("Li Wei", "刘伟"));
  EXPECT_FALSE(Same("杨金", "杨娟"));  // jin / juan
  EXPECT_FALSE(Same("Yang Jun", "杨娟"));
  EXPECT_FALSE(Same("张伟丽", "郑伟丽"));  // zhang / zheng
  EXPECT_FALSE(Same("王霞伟", "Wang Xiaowei"));
  EXPECT_LE(Score("Liu Xia", "Liu Hua"), 0.8);
  const char* wang_weiwei[] = {"王伟伟", "Wang Weiwei", "Weiwei Wang", "WANG Weiwei"};
  for (const char* a : wang_weiwei)
    for (const char* b : wang_weiwei) EXPECT_TRUE(Same(a, b)) << a << " / " << b;
  EXPECT_TRUE(Same("Li Yang", "Yang Li"));     // which is the family name, the lists don't say
  EXPECT_TRUE(Same("Wng Feng", "Wang Feng"));  // "wng" is not pinyin: a slip
  EXPECT_TRUE(Same("Yaag Zhang", "张洋"));
  // A given name starting with y after a family name ending in i (李 Li, the second
  // most common): the characters' pinyin keeps the y, as the romanised list writes it.
  EXPECT_TRUE(Same("Li Yan", "李燕"));
  EXPECT_TRUE(Same("Li Yongwei", "李勇伟"));
  EXPECT_TRUE(Same("Yongwei Li", "李勇伟"));
  EXPECT_FALSE(Same("Li Yan", "李安"));  // yan / an
  // Turkic names in Chinese transcription keep their tolerance of vowels.
  EXPECT_TRUE(Same("马拉提", "Ma Lati"));
  EXPECT_TRUE(Same("托合提", "吐合提"));
}

TEST(HanNameKeys, TheSameChineseNameInAnyScriptAndOrder) {
  auto keys = [](std::string_view name) {
    auto k = MakeNameKey(name);
    EXPECT_TRUE(k.ok());
    return k.ok() ? HanNameKeys(*k) : std::vector<std::string>{};
  };
  const auto han = keys("高伟");
  ASSERT_EQ(han.size(), 1u);
  for (const char* other : {"Gao Wei", "Wei Gao"}) {
    const auto latin = keys(other);
    EXPECT_NE(std::find(latin.begin(), latin.end(), han[0]), latin.end()) << other;
  }
  const auto liu = keys("Liu Wei");
  EXPECT_EQ(std::find(liu.begin(), liu.end(), han[0]), liu.end());
  EXPECT_TRUE(keys("Aygül Memet").empty());
  EXPECT_TRUE(keys("阿依古丽·买买提").empty());
}

// One typing error in a part that no script spells that way (three consonants in a
// row, two at the start) is forgiven; well-formed names that differ are not.
TEST(Compare, OneTypingErrorInAMistypedPart) {
  EXPECT_TRUE(Same("Aynur Tursrn", "Aynur Tursun"));
  EXPECT_TRUE(Same("Aygül Memetjna", "Айгүл Мәметжан"));
  EXPECT_TRUE(Same("Aygul Turusn", "Aygul Tursun"));
  EXPECT_TRUE(Same("Nurgl Erkin", "Нұргүл Еркін"));  // two consonants at the end
  EXPECT_TRUE(Same("Nurgül Erkinajn", "Nurgül Erkinjan"));
  EXPECT_TRUE(Same("Timwr Aysulw", "Timur Aysulu"));  // Kazakh Latin w is a vowel here
  EXPECT_FALSE(Same("Nurgul Erkin", "Nurgul Erkinbek"));
  // Two letters swapped, in any part: no transcription does that.
  EXPECT_TRUE(Same("Halide Ekrin", "Halide Erkin"));
  EXPECT_TRUE(Same("Zibagül Ebker", "Зибагүл Әкбәр"));
  EXPECT_TRUE(Same("Sanavär Tusrun", "Sanavär Tursun"));
  EXPECT_FALSE(Same("Aynur Tursun", "Aynur Tursunbek"));
  EXPECT_FALSE(Same("Gülnar Eziz", "Gülzar Eziz"));
}

// One typing error that leaves a well-formed part, in a name whose other parts agree
// exactly: a letter dropped inside the part, or a vowel typed for a consonant or back,
// is a slip; one consonant for another, or a last letter more or less, makes another
// name (a sibling's: Nurlan and Nurjan).
TEST(Compare, OneTypingErrorInAWellFormedPartOfAnOtherwiseEqualName) {
  EXPECT_TRUE(Same("Memet Nijat", "Memet Niat"));
  EXPECT_TRUE(Same("Aynur Ärkin", "Aynur Eruin"));
  EXPECT_TRUE(Same("Гүлнар Турсун", "Gulnar Tusun"));
  EXPECT_FALSE(Same("Nurlan Qasym", "Nurjan Qasym"));
  EXPECT_FALSE(Same("Memet Niat", "Mamut Nijat"));  // two parts differ
  EXPECT_FALSE(Same("Niat", "Nijat"));              // nothing else agrees
  EXPECT_FALSE(Same("Aydos Serik", "Aydo Serik"));
  EXPECT_FALSE(Same("古丽扎尔·吐尔逊", "古丽娜尔·吐尔逊"));  // characters have no typos
}

// A typing slip inside a patronymic or surname ending hides it from the stemmer; the
// part is still the father's name with its ending.
TEST(Compare, PatronymicEndingWithATypingSlip) {
  EXPECT_TRUE(Same("Тимур Ерланұлы", "Timur Erlanuıl"));
  EXPECT_TRUE(Same("Айжан Бекжанұлы", "Ayjan Bekjaunlı"));
  EXPECT_TRUE(Same("Nurbanu Galimva", "Nurbanu Ğalimova"));
  EXPECT_TRUE(Same("Aygul Armankıız", "Aygul Arman"));
  EXPECT_FALSE(Same("Aygul Tursun", "Aygul Tursunbek"));
  EXPECT_FALSE(Same("Aygul Armankıız", "Aygul Marat"));
}

TEST(Compare, PatronymicAndSurnameEndingsMatchTheFathersName) {
  EXPECT_TRUE(Same("Nurlan Tursynuly", "努尔兰·吐尔逊"));
  EXPECT_TRUE(Same("Aygul Tursunova", "Aygul Tursun"));
}

// Vowels come and go between transcriptions, but not a vowel at the start, and a or e
// does not stand for u.
TEST(Compare, NearNamesThatTranscriptionDoesNotExplain) {
  EXPECT_FALSE(Same("Mamut Tursun", "Memet Tursun"));  // Mahmud, Muhammad
  EXPECT_TRUE(Same("Mämät Tursun", "Memet Tursun"));
  EXPECT_TRUE(Same("玛木提·吐尔逊", "Mamut Tursun"));
  EXPECT_FALSE(Same("Aqnar Arman", "Kunnar Arman"));
  EXPECT_FALSE(Same("Aknur Iliyas", "Kunnur Iliyas"));
  EXPECT_TRUE(Same("Abdurehim Memet", "Abudureyimu Maimaiti"));
}

TEST(Compare, SiblingsAndSimilarNamesAreNotTheSame) {
  EXPECT_FALSE(Same("Nurlan Tursunov", "Nurbol Tursunov"));
  EXPECT_FALSE(Same("Aygul Memet", "Aynur Memet"));
  EXPECT_FALSE(Same("Aygul Memet", "Aygul Tursun"));
  EXPECT_FALSE(Same("Akytkhan", "Qalida Akytkhan"));
}

TEST(Compare, RunTogetherChineseName) { EXPECT_TRUE(Same("卡丽达阿克提汗", "Qalida Akytkhan")); }

TEST(Compare, ExplainsEachPart) {
  auto c = Compare("Ilham Toxti", "Илһам Тохти");
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->parts.size(), 2u);
  EXPECT_EQ(c->parts[0].how, "same key");
  const nlohmann::json j = ToJson(*c);
  EXPECT_TRUE(j["same"].get<bool>());
  EXPECT_NE(ToText(*c).find("same name"), std::string::npos);
}

TEST(Compare, ReportsWhichNameIsUnusable) {
  auto c = Compare("Nurlan", "\xFF");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("second name"), std::string::npos);
}

TEST(Explain, ShowsEveryStep) {
  auto e = Explain("Қалида Ақытхан");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->scripts, std::vector<std::string>{"cyrillic"});
  EXPECT_EQ(e->latin, "qalīda aqytkhan");
  ASSERT_EQ(e->tokens.size(), 2u);
  EXPECT_EQ(e->tokens[1].key, "akitxan");
  EXPECT_EQ(e->tokens[1].role, "family");
  EXPECT_EQ(ToJson(*e)["search_keys"].size(), 2u);
  auto chinese = Explain("王小明");
  ASSERT_TRUE(chinese.ok());
  EXPECT_EQ(chinese->chinese_family, "王");
  EXPECT_EQ(chinese->chinese_given, "小明");
}

TEST(SearchKeys, DifferentFormsShareKeys) {
  const auto latin = SearchKeys("Qalida Akytkhan");
  EXPECT_EQ(latin, SearchKeys("Қалида Ақытхан"));
  EXPECT_EQ(latin, SearchKeys("Kalida Akytkan"));
  const auto han = SearchKeys("阿克提汗");
  ASSERT_FALSE(han.empty());
  EXPECT_NE(std::find(latin.begin(), latin.end(), han[0]), latin.end());
  EXPECT_TRUE(SearchKeys("\xC3").empty());
  // 扎 writes z and zh: 阿扎马提 meets Azamat, 扎娜尔 Жанар.
  const auto has = [](const std::vector<std::string>& keys, const std::string& key) {
    return std::find(keys.begin(), keys.end(), key) != keys.end();
  };
  EXPECT_TRUE(has(SearchKeys("阿扎马提"), SearchKeys("Azamat")[0]));
  EXPECT_TRUE(has(SearchKeys("扎娜尔"), SearchKeys("Жанар")[0]));
}

}  // namespace
}  // namespace izde::names

namespace izde::names {
namespace {

TEST(ScoreNames, HandBuiltKeysWithManyPartsAreClamped) {
  NameKey many;
  for (int i = 0; i < 20; ++i) many.tokens.push_back({"nurlan", "", PartRole::kGiven});
  EXPECT_GT(ScoreNames(many, many), 0.99);
  EXPECT_EQ(ScoreNames(many, NameKey{}), 0);
}

}  // namespace
}  // namespace izde::names
