#include "places/gazetteer.h"

#include <gtest/gtest.h>

namespace izde::places {
namespace {

std::string Best(std::string_view text) {
  auto r = Gazetteer::Xinjiang().Resolve(text);
  EXPECT_TRUE(r.ok()) << text << ": " << r.status().message();
  return r.ok() ? r->front().place->code : "";
}

TEST(Gazetteer, CompiledInAndComplete) {
  const Gazetteer& g = Gazetteer::Xinjiang();
  EXPECT_GE(g.places().size(), 90u);
  int prefectures = 0;
  for (const Place& p : g.places()) {
    EXPECT_TRUE(p.code.starts_with("65")) << p.code;
    EXPECT_FALSE(p.chinese.empty()) << p.code;
    if (p.level == PlaceLevel::kPrefecture) ++prefectures;
  }
  EXPECT_EQ(prefectures, 14);
}

TEST(Gazetteer, GhuljaInEveryForm) {
  for (const char* form :
       {"伊宁市", "Ghulja", "Kulja", "Құлжа", "غۇلجا", "Yining City", "GHULJA", "Gulja"}) {
    EXPECT_EQ(Best(form), "654002") << form;
  }
}

TEST(Gazetteer, OtherPlaces) {
  EXPECT_EQ(Best("Ürümchi"), "650100");
  EXPECT_EQ(Best("Urumqi"), "650100");
  EXPECT_EQ(Best("Үрімжі"), "650100");
  EXPECT_EQ(Best("乌鲁木齐"), "650100");
  EXPECT_EQ(Best("Kashgar"), "653100");
  EXPECT_EQ(Best("قەشقەر"), "653100");
  EXPECT_EQ(Best("Шәуешек"), "654200");
  EXPECT_EQ(Best("Chuguchak"), "654200");
  EXPECT_EQ(Best("Khotan"), "653200");
  EXPECT_EQ(Best("Yarkand"), "653125");
  EXPECT_EQ(Best("Qaraqash nahiyisi"), "653222");
}

TEST(Gazetteer, SpellingVariantsResolveFuzzily) {
  EXPECT_EQ(Best("Qashqar"), "653100");
  EXPECT_EQ(Best("Korlya"), "652801");
}

TEST(Gazetteer, AmbiguousNamesGiveAllCandidates) {
  auto r = Gazetteer::Xinjiang().Resolve("Yining");
  ASSERT_TRUE(r.ok());
  ASSERT_GE(r->size(), 2u);
  EXPECT_EQ((*r)[0].score, (*r)[1].score);
}

TEST(Gazetteer, UnknownPlace) {
  auto r = Gazetteer::Xinjiang().Resolve("Paris");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound);
  EXPECT_FALSE(Gazetteer::Xinjiang().Resolve("").ok());
  EXPECT_FALSE(Gazetteer::Xinjiang().Resolve("\xFF").ok());
}

TEST(Gazetteer, ByCodeFallsBackToPrefecture) {
  const Gazetteer& g = Gazetteer::Xinjiang();
  ASSERT_NE(g.ByCode("654002"), nullptr);
  EXPECT_EQ(g.ByCode("654002")->uly, "Ghulja");
  ASSERT_NE(g.ByCode("652923"), nullptr);  // the old Kuqa county code
  EXPECT_EQ(g.ByCode("652923")->code, "652900");
  EXPECT_EQ(g.ByCode("110101"), nullptr);  // Beijing: not in this gazetteer
}

TEST(Gazetteer, IdRegionAgainstStatedHometown) {
  const Gazetteer& g = Gazetteer::Xinjiang();
  const Place& ghulja = *g.ByCode("654002");
  EXPECT_EQ(Gazetteer::CheckIdRegion(ghulja, "654002"), RegionAgreement::kSameCounty);
  EXPECT_EQ(Gazetteer::CheckIdRegion(ghulja, "654021"), RegionAgreement::kSamePrefecture);
  EXPECT_EQ(Gazetteer::CheckIdRegion(ghulja, "653101"), RegionAgreement::kSameRegion);
  EXPECT_EQ(Gazetteer::CheckIdRegion(ghulja, "110101"), RegionAgreement::kDifferent);
  const Place& ili = *g.ByCode("654000");
  EXPECT_EQ(Gazetteer::CheckIdRegion(ili, "654028"), RegionAgreement::kSamePrefecture);
}

TEST(Gazetteer, ParseRejectsBrokenTables) {
  EXPECT_FALSE(Gazetteer::Parse("65\tcounty\n").ok());
  EXPECT_TRUE(Gazetteer::Parse("# only a comment\n").ok());
}

TEST(Gazetteer, Json) {
  const nlohmann::json j = ToJson(*Gazetteer::Xinjiang().ByCode("654002"));
  EXPECT_EQ(j["kazakh_cyrillic"], "Құлжа");
  EXPECT_EQ(j["uyghur_arabic"], "غۇلجا");
}

}  // namespace
}  // namespace izde::places
