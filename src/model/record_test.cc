#include "model/record.h"

#include <gtest/gtest.h>

#include "model/text.h"

namespace izde::model {
namespace {

Record Person(nlohmann::json doc) { return Record{"P-1", RecordType::kPerson, std::move(doc)}; }

TEST(RecordId, AcceptsPlainIdsAndRejectsNames) {
  EXPECT_TRUE(ValidateRecordId("P-000123").ok());
  EXPECT_TRUE(ValidateRecordId("list.2019_row-7").ok());
  EXPECT_FALSE(ValidateRecordId("").ok());
  EXPECT_FALSE(ValidateRecordId("Қалида").ok());
  EXPECT_FALSE(ValidateRecordId("a b").ok());
  EXPECT_FALSE(ValidateRecordId(std::string(65, 'x')).ok());
}

TEST(RecordId, NewIdsAreValidAndDistinct) {
  std::string a = NewRecordId(RecordType::kTestimony), b = NewRecordId(RecordType::kTestimony);
  EXPECT_TRUE(ValidateRecordId(a).ok());
  EXPECT_NE(a, b);
  EXPECT_EQ(a.rfind("testimony-", 0), 0u);
}

TEST(Validate, PersonNeedsANameForm) {
  Status s = Validate(Person({{"gender", "female"}}));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("'names'"), std::string::npos) << s.message();
  EXPECT_TRUE(Validate(Person({{"names", {{{"text", "Қалида Ақытхан"}}}}})).ok());
}

TEST(Validate, MessagesNameTheField) {
  Status s = Validate(Person({{"names", {{{"text", "Aygul"}}}}, {"gender", "F"}}));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "gender: 'F' is not one of: female, male, other, unknown");
  s = Validate(Person({{"names", {{{"text", "Aygul"}}}}, {"birth_date", "1975-13-02"}}));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("birth_date"), std::string::npos);
  EXPECT_NE(s.message().find("13"), std::string::npos) << s.message();
  s = Validate(Person({{"names", {{{"text", "Aygul"}}}}, {"shoe_size", 40}}));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("unknown field 'shoe_size'"), std::string::npos);
  s = Validate(Person({{"names", {{{"text", "  "}}}}}));
  EXPECT_EQ(s.message(), "names: [0].text: is empty");
}

TEST(Validate, RelationCannotJoinAPersonToThemself) {
  Record r{"R-1", RecordType::kRelation, {{"from", "P-1"}, {"to", "P-1"}, {"kind", "parent"}}};
  Status s = Validate(r);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("own relative"), std::string::npos);
  r.doc["to"] = "P-2";
  EXPECT_TRUE(Validate(r).ok());
}

TEST(Validate, EventKindsAndConsentFlags) {
  Record e{
      "E-1",
      RecordType::kEvent,
      {{"person", "P-1"}, {"kind", "sentenced"}, {"term_months", 120}, {"date", "spring 2018"}}};
  EXPECT_TRUE(Validate(e).ok());
  e.doc["term_months"] = -3;
  EXPECT_FALSE(Validate(e).ok());
  Record t{"T-1", RecordType::kTestimony, {{"consent", {{"name", true}, {"face", true}}}}};
  Status s = Validate(t);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("unknown consent item 'face'"), std::string::npos);
}

TEST(Validate, FacilityCoordinatesInRange) {
  Record f{"F-1",
           RecordType::kFacility,
           {{"names", {{{"text", "No. 3 Camp"}}}}, {"latitude", 43.9}, {"longitude", 81.3}}};
  EXPECT_TRUE(Validate(f).ok());
  f.doc["latitude"] = 123.0;
  EXPECT_FALSE(Validate(f).ok());
}

TEST(Text, DetectsScripts) {
  EXPECT_EQ(DetectScript("Қалида Ақытхан"), "Cyrl");
  EXPECT_EQ(DetectScript("Qalida Akytkhan"), "Latn");
  EXPECT_EQ(DetectScript("ئىلھام توختى"), "Arab");
  EXPECT_EQ(DetectScript("阿克提汗"), "Hani");
  EXPECT_EQ(DetectScript("123"), "Zyyy");
}

TEST(Text, Utf8AndNfc) {
  EXPECT_TRUE(IsValidUtf8("Ілхам"));
  EXPECT_FALSE(IsValidUtf8("\xff\xfe"));
  EXPECT_FALSE(IsValidUtf8("abc\xc3"));
  // "é" as e + combining acute becomes the single precomposed character.
  EXPECT_EQ(NormalizeText("  Ve\xcc\x81ra "), "V\xc3\xa9ra");
}

}  // namespace
}  // namespace izde::model
