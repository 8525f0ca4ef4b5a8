#include "names/phonetic_key.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace izde::names {
namespace {

TEST(PhoneticKey, FoldsRomanisationVariants) {
  EXPECT_EQ(PhoneticKey("qalida"), PhoneticKey("kalida"));
  EXPECT_EQ(PhoneticKey("qalīda"), PhoneticKey("kalida"));
  EXPECT_EQ(PhoneticKey("aqytqan"), PhoneticKey("akytkan"));
  EXPECT_EQ(PhoneticKey("toxti"), PhoneticKey("tohti"));
  EXPECT_EQ(PhoneticKey("toxti"), PhoneticKey("tokhti"));
  EXPECT_EQ(PhoneticKey("zhumabay"), PhoneticKey("jumabay"));
  EXPECT_EQ(PhoneticKey("dzhumabay"), PhoneticKey("jumabay"));
  EXPECT_EQ(PhoneticKey("şöhret"), PhoneticKey("shohret"));
  EXPECT_EQ(PhoneticKey("çolpan"), PhoneticKey("cholpan"));
  EXPECT_EQ(PhoneticKey("ğalym"), PhoneticKey("ghalym"));
  EXPECT_EQ(PhoneticKey("wali"), PhoneticKey("vali"));
  EXPECT_EQ(PhoneticKey("mämet"), PhoneticKey("memet"));
  EXPECT_EQ(PhoneticKey("ılham"), PhoneticKey("ilham"));
  EXPECT_EQ(PhoneticKey("ümit"), PhoneticKey("umit"));
  EXPECT_EQ(PhoneticKey("mammet"), PhoneticKey("mamet"));
  EXPECT_EQ(PhoneticKey("sen'et"), PhoneticKey("senet"));
}

TEST(PhoneticKey, ExactKeys) {
  EXPECT_EQ(PhoneticKey("akytkhan"), "akitxan");  // y between consonants is a vowel
  EXPECT_EQ(PhoneticKey("aygul"), "aygul");       // y next to a vowel is a glide
  EXPECT_EQ(PhoneticKey("shynggys"), "SiNgis");
  EXPECT_EQ(PhoneticKey("kharrat"), "xarat");
  EXPECT_EQ(PhoneticKey("ghaliy"), "gali");
}

TEST(PhoneticKey, KeepsDistinctNamesDistinct) {
  EXPECT_NE(PhoneticKey("nurlan"), PhoneticKey("nurbol"));
  EXPECT_NE(PhoneticKey("aygul"), PhoneticKey("aynur"));
}

TEST(PhoneticKey, IgnoresCharactersWithoutSound) {
  EXPECT_EQ(PhoneticKey(""), "");
  EXPECT_EQ(PhoneticKey("'\xCA\xBC"), "");
}

TEST(StemOfKey, RemovesPatronymicAndSurnameEndings) {
  EXPECT_EQ(StemOfKey(PhoneticKey("tursynuly")), PhoneticKey("tursyn"));
  EXPECT_EQ(StemOfKey(PhoneticKey("tursynqyzy")), PhoneticKey("tursyn"));
  EXPECT_EQ(StemOfKey(PhoneticKey("tursunov")), "tursun");
  EXPECT_EQ(StemOfKey(PhoneticKey("tursunova")), "tursun");
  EXPECT_EQ(StemOfKey(PhoneticKey("nurlanovich")), "nurlan");
  EXPECT_EQ(StemOfKey(PhoneticKey("nurlanovna")), "nurlan");
  EXPECT_EQ(EndingOfKey(PhoneticKey("tursynuly")), KeyEnding::kPatronymic);
  EXPECT_EQ(EndingOfKey(PhoneticKey("tursunova")), KeyEnding::kSurname);
  EXPECT_EQ(EndingOfKey("nurlan"), KeyEnding::kNone);
}

// Turkish-style Latin writes j as c: Osmancan is Osmanjan, Micit is Mijit.
TEST(PhoneticKey, CIsReadAsJ) {
  EXPECT_EQ(PhoneticKey("osmancan"), PhoneticKey("osmanjan"));
  EXPECT_EQ(PhoneticKey("micit"), PhoneticKey("mijit"));
  EXPECT_EQ(PhoneticKey("çolpan"), PhoneticKey("cholpan"));  // ç and ch stay ch
}

// A stem ending in k before -qyzy keeps its k (the two are not one repeated letter).
TEST(StemOfKey, DaughterEndingAfterAStemEndingInK) {
  EXPECT_EQ(StemOfKey(PhoneticKey("zhanbekqızı")), PhoneticKey("zhanbek"));
  EXPECT_EQ(StemOfKey(PhoneticKey("baybekkyzy")), PhoneticKey("baybek"));
  EXPECT_EQ(StemOfKey(PhoneticKey("bekgaliqyzy")), PhoneticKey("bekgali"));
}

// Given names that end like a patronymic by accident: Kazakh -sulu ("beautiful":
// Aisulu, Gulsulu) and 古丽 (gül) in pinyin, -guli (Ayiguli).
TEST(StemOfKey, KeepsGivenNamesEndingInSuluAndGuli) {
  EXPECT_EQ(StemOfKey(PhoneticKey("gulsulu")), PhoneticKey("gulsulu"));
  EXPECT_EQ(StemOfKey(PhoneticKey("aisulu")), PhoneticKey("aisulu"));
  EXPECT_EQ(StemOfKey(PhoneticKey("ayiguli")), PhoneticKey("ayiguli"));
  EXPECT_EQ(StemOfKey(PhoneticKey("ilyasuly")), PhoneticKey("ilyas"));
}

TEST(StemOfKey, KeepsShortStems) {
  EXPECT_EQ(StemOfKey("lev"), "lev");
  EXPECT_EQ(StemOfKey("uli"), "uli");
}

TEST(SearchSkeleton, CollapsesConsonantClasses) {
  EXPECT_EQ(SearchSkeleton("tursun"), "TLSN");
  EXPECT_EQ(SearchSkeleton("tursin"), "TLSN");
  EXPECT_EQ(SearchSkeleton("parida"), SearchSkeleton("palida"));  // 帕丽达: no r in Chinese
  EXPECT_EQ(SearchSkeleton("yerlan"), SearchSkeleton("erlan"));   // pinyin Yeerlan
  EXPECT_EQ(SearchSkeleton("yilixam"), SearchSkeleton("ilxam"));  // Yilihamu / Ilham
  EXPECT_EQ(SearchSkeleton("yusup"), SearchSkeleton("iusup"));    // Yusup / Йүсүп
  EXPECT_EQ(SearchSkeleton("akitxan"), "AKTKN");
  EXPECT_EQ(SearchSkeleton("aktixan"), "AKTKN");
  EXPECT_EQ(SearchSkeleton("memet"), SearchSkeleton("mamet"));
  EXPECT_NE(SearchSkeleton("nurlan"), SearchSkeleton("nurbol"));
}

// Chinese transcription leaves out an h between vowels and before a first vowel:
// 塔依尔 (tayir) is Tahir, 阿不都热依木 (abdureyim) Abdurehim, 吾守尔 (ushur) Hoshur.
TEST(LooseSkeleton, DropsTheHChineseLeavesOut) {
  EXPECT_NE(SearchSkeleton("taxir"), SearchSkeleton("tayr"));
  EXPECT_EQ(LooseSkeleton("taxir"), SearchSkeleton("tayr"));
  EXPECT_EQ(LooseSkeleton("abduraxim"), SearchSkeleton("abdureyim"));
  EXPECT_EQ(LooseSkeleton("xoSur"), SearchSkeleton("uSur"));
  EXPECT_EQ(LooseSkeleton("perxat"), "");  // after a consonant it is written: 帕尔哈提
  EXPECT_EQ(LooseSkeleton("ilxam"), "");
  EXPECT_EQ(LooseSkeleton("muxtar"), "");
}

// Kazakh Latin writes у as w after a consonant: Timwr is Тимур, 铁木尔.
TEST(LooseSkeleton, ReadsVAfterAConsonantAsU) {
  EXPECT_EQ(LooseSkeleton("timvr"), SearchSkeleton("timur"));
  EXPECT_EQ(LooseSkeleton("kvaniS"), SearchSkeleton("kuaniS"));
  EXPECT_EQ(LooseSkeleton("ilvira"), SearchSkeleton("iluira"));
  EXPECT_EQ(LooseSkeleton("avaz"), "");  // after a vowel it is a v
}

// 阿依古丽塔依尔 (Aygül Tahir without the dot): one of the splits of its reading is
// the skeletons of the name's two parts.
TEST(SplitSkeletons, OneSplitIsTheNamesTwoParts) {
  const auto splits = SplitSkeletons("aygulitayr");
  const std::pair<std::string, std::string> parts{SearchSkeleton("aygul"), LooseSkeleton("taxir")};
  EXPECT_NE(std::find(splits.begin(), splits.end(), parts), splits.end());
  for (const auto& [first, second] : splits) {
    EXPECT_GE(first.size(), 2u);
    EXPECT_GE(second.size(), 2u);
  }
  EXPECT_TRUE(SplitSkeletons("ali").empty());
}

}  // namespace
}  // namespace izde::names
