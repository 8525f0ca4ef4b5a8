#include "server/intake_form.h"

#include <gtest/gtest.h>

namespace izde::server {
namespace {

TEST(IntakeForm, APersonNeedsAName) {
  IntakeForm f = ReadPersonForm({{"name1", "  "}, {"hometown", "Құлжа"}});
  EXPECT_FALSE(f.ok());
  EXPECT_EQ(f.errors["name1"], "err_required");
}

TEST(IntakeForm, AGoodPersonFormIsAValidRecord) {
  IntakeForm f = ReadPersonForm({{"name1", " Айгүл Сейітқызы "},
                                 {"name2", "Aigul Seiitqyzy"},
                                 {"gender", "female"},
                                 {"birth_date", "about 1980"},
                                 {"hometown", "Құлжа"},
                                 {"csrf", "ignored"}});
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f.record.type, model::RecordType::kPerson);
  EXPECT_TRUE(model::ValidateRecordId(f.record.id).ok());
  EXPECT_EQ(f.record.doc["names"].size(), 2u);
  EXPECT_EQ(f.record.doc["names"][0]["text"], "Айгүл Сейітқызы");
  EXPECT_TRUE(model::Validate(f.record).ok()) << model::Validate(f.record).message();
}

TEST(IntakeForm, EachBadFieldIsNamed) {
  IntakeForm f = ReadPersonForm({{"name1", "Aigul"},
                                 {"gender", "robot"},
                                 {"birth_date", "1975-13-02"},
                                 {"hometown", "\xC3\x28"},
                                 {"notes", std::string(5000, 'x')}});
  EXPECT_EQ(f.errors["gender"], "err_choice");
  EXPECT_EQ(f.errors["birth_date"], "err_date");
  EXPECT_EQ(f.errors["hometown"], "err_not_utf8");
  EXPECT_EQ(f.errors["notes"], "err_too_long");
  EXPECT_EQ(f.errors.count("name1"), 0u);
}

TEST(IntakeForm, AnEventNeedsAnExistingPersonAndAKind) {
  auto only_p1 = [](const std::string& id) { return id == "P-1"; };
  IntakeForm f = ReadEventForm({{"person", "P-2"}, {"date", "spring 2018"}}, only_p1);
  EXPECT_EQ(f.errors["person"], "err_no_person");
  EXPECT_EQ(f.errors["kind"], "err_required");
  f = ReadEventForm({{"person", "P-1"},
                     {"kind", "detained"},
                     {"date", "spring 2018"},
                     {"place", "Ghulja"},
                     {"confidence", "probable"}},
                    only_p1);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f.record.doc["person"], "P-1");
  EXPECT_TRUE(model::Validate(f.record).ok()) << model::Validate(f.record).message();
}

TEST(IntakeForm, SaveErrorsMapBackToFields) {
  EXPECT_EQ(
      FieldOfError("person person-X: birth_date: '1975-13' has no month 13", kPersonFormFields),
      "birth_date");
  EXPECT_EQ(FieldOfError("person person-X: names[0].text: is empty", kPersonFormFields), "name1");
  EXPECT_EQ(FieldOfError("disk full", kPersonFormFields), "");
}

}  // namespace
}  // namespace izde::server
