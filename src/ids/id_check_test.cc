#include "ids/id_check.h"

#include <gtest/gtest.h>

namespace izde::ids {
namespace {

// All numbers here are synthetic, made up with valid check characters.

TEST(PrcId, ValidXinjiangNumber) {
  const IdCheck c = Check("650102198001011234");
  EXPECT_EQ(c.kind, IdKind::kPrc);
  EXPECT_TRUE(c.valid) << c.reason;
  EXPECT_EQ(c.birth_date, "1980-01-01");
  EXPECT_EQ(c.sex, "male");  // sequence 123: odd
  EXPECT_EQ(c.region_code, "650102");
  EXPECT_TRUE(c.xinjiang);
}

TEST(PrcId, CheckCharacterX) {
  const IdCheck c = Check("11010119491001001x");
  EXPECT_TRUE(c.valid) << c.reason;
  EXPECT_EQ(c.normalized, "11010119491001001X");
  EXPECT_FALSE(c.xinjiang);
}

TEST(PrcId, LeapDayAndFemale) {
  const IdCheck c = Check("6540 0219 9202 2900 25");
  EXPECT_TRUE(c.valid) << c.reason;
  EXPECT_EQ(c.birth_date, "1992-02-29");
  EXPECT_EQ(c.sex, "female");
}

TEST(PrcId, WrongCheckCharacter) {
  const IdCheck c = Check("650102198001011235");
  EXPECT_FALSE(c.valid);
  EXPECT_NE(c.reason.find("require 4"), std::string::npos) << c.reason;
}

TEST(PrcId, ImpossibleDates) {
  EXPECT_NE(Check("650102198013011234").reason.find("month 13"), std::string::npos);
  EXPECT_NE(Check("650102199302291234").reason.find("no day 29"), std::string::npos);
  EXPECT_NE(Check("650102180001011234").reason.find("birth year"), std::string::npos);
}

TEST(PrcId, XOnlyAtTheEnd) {
  EXPECT_FALSE(Check("65010219800X011234").valid);
  EXPECT_FALSE(Check("65010219800101123X4").valid);
}

TEST(PrcId, OldFifteenDigitForm) {
  const IdCheck c = Check("650102800101123");
  EXPECT_EQ(c.kind, IdKind::kPrc15);
  EXPECT_TRUE(c.valid);
  EXPECT_EQ(c.birth_date, "1980-01-01");
  EXPECT_EQ(c.sex, "male");
  EXPECT_FALSE(Check("650102801301123").valid);
}

TEST(Iin, Valid) {
  const IdCheck c = Check("920229401231");
  EXPECT_EQ(c.kind, IdKind::kIin);
  EXPECT_TRUE(c.valid) << c.reason;
  EXPECT_EQ(c.birth_date, "1992-02-29");
  EXPECT_EQ(c.sex, "female");  // century digit 4: 1900s, female
  const IdCheck d = Check("010315500453");
  EXPECT_TRUE(d.valid) << d.reason;
  EXPECT_EQ(d.birth_date, "2001-03-15");
  EXPECT_EQ(d.sex, "male");
}

TEST(Iin, SecondWeightingPass) {
  const IdCheck c = Check("850102300106");
  EXPECT_TRUE(c.valid) << c.reason;
  EXPECT_EQ(c.birth_date, "1985-01-02");
}

TEST(Iin, NeverIssuedWhenBothPassesGiveTen) {
  for (char last = '0'; last <= '9'; ++last) {
    const IdCheck c = Check(std::string("85010230012") + last);
    EXPECT_FALSE(c.valid);
    EXPECT_NE(c.reason.find("no check digit"), std::string::npos);
  }
}

TEST(Iin, WrongCheckDigitAndBadCenturyAndDate) {
  EXPECT_FALSE(Check("920229401232").valid);
  EXPECT_NE(Check("920229701231").reason.find("7th digit"), std::string::npos);
  EXPECT_NE(Check("930229401231").reason.find("no day 29"), std::string::npos);
}

TEST(Check, UnusableInput) {
  EXPECT_EQ(Check("").reason, "no ID number given");
  EXPECT_EQ(Check("12345").kind, IdKind::kUnknown);
  EXPECT_FALSE(Check("65010219800101123a").valid);
  EXPECT_FALSE(Check("\xD9\xA1\xD9\xA2").valid);  // Arabic-Indic digits
  EXPECT_FALSE(Check(std::string(10000, '1')).valid);
}

TEST(CompareIds, EqualIgnoringSpacing) {
  EXPECT_EQ(CompareIds("650102198001011234", "650102 19800101 1234"), IdAgreement::kEqual);
}

TEST(CompareIds, OneSubstitutionThatBreaksTheCheck) {
  EXPECT_EQ(CompareIds("650102198001011234", "650102198001071234"), IdAgreement::kOneTypo);
}

TEST(CompareIds, Transposition) {
  EXPECT_EQ(CompareIds("650102198001011234", "650102198010011234"), IdAgreement::kOneTypo);
}

TEST(CompareIds, TwoValidNumbersAreDifferentPeople) {
  EXPECT_EQ(CompareIds("650102198001011234", "654002199202290025"), IdAgreement::kDifferent);
  EXPECT_EQ(CompareIds("920229401231", "010315500453"), IdAgreement::kDifferent);
}

TEST(CompareIds, TwoTyposOrDifferentKinds) {
  EXPECT_EQ(CompareIds("650102198001011234", "650102198001771234"), IdAgreement::kDifferent);
  EXPECT_EQ(CompareIds("920229401231", "650102198001011234"), IdAgreement::kDifferent);
  EXPECT_EQ(CompareIds("", ""), IdAgreement::kDifferent);
}

TEST(Render, JsonAndText) {
  const IdCheck c = Check("650102198001011234");
  const nlohmann::json j = ToJson(c);
  EXPECT_EQ(j["kind"], "prc");
  EXPECT_EQ(j["valid"], true);
  EXPECT_NE(ToText(c).find("Xinjiang"), std::string::npos);
  EXPECT_NE(ToText(Check("1")).find("INVALID"), std::string::npos);
}

}  // namespace
}  // namespace izde::ids
