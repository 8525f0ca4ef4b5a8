#include "names/name_parts.h"

#include <gtest/gtest.h>

#include "names/name_key.h"

namespace izde::names {
namespace {

std::vector<PartRole> Roles(std::string_view name) {
  auto k = MakeKeyedName(name);
  EXPECT_TRUE(k.ok()) << k.status().message();
  return k.ok() ? k->roles : std::vector<PartRole>{};
}

using R = PartRole;

TEST(ParseRoles, GivenThenFather) {
  EXPECT_EQ(Roles("Ilham Toxti"), (std::vector<R>{R::kGiven, R::kFamily}));
  EXPECT_EQ(Roles("ئىلھام توختى"), (std::vector<R>{R::kGiven, R::kFamily}));
}

TEST(ParseRoles, KazakhPatronymicSuffix) {
  EXPECT_EQ(Roles("Qalida Akytkhanqyzy"), (std::vector<R>{R::kGiven, R::kPatronymic}));
  EXPECT_EQ(Roles("Нұрлан Тұрсынұлы"), (std::vector<R>{R::kGiven, R::kPatronymic}));
}

TEST(ParseRoles, KazakhPatronymicAsSeparateWord) {
  EXPECT_EQ(Roles("Nurlan Tursyn uly"), (std::vector<R>{R::kGiven, R::kPatronymic, R::kParticle}));
}

TEST(ParseRoles, SovietSurnameFirstWithPatronymic) {
  EXPECT_EQ(Roles("Tursunov Nurlan Bekovich"),
            (std::vector<R>{R::kFamily, R::kGiven, R::kPatronymic}));
  EXPECT_EQ(Roles("Tursunova Aygul"), (std::vector<R>{R::kFamily, R::kGiven}));
}

TEST(ParseRoles, SurnameLast) {
  EXPECT_EQ(Roles("Aygul Tursunova"), (std::vector<R>{R::kGiven, R::kFamily}));
  EXPECT_EQ(Roles("Nurlan Bek Tursunov"), (std::vector<R>{R::kGiven, R::kGiven, R::kFamily}));
}

TEST(ParseRoles, ChineseDotSeparatedTurkicName) {
  EXPECT_EQ(Roles("卡丽达·阿克提汗"), (std::vector<R>{R::kGiven, R::kFamily}));
}

TEST(ParseRoles, SingleToken) {
  EXPECT_EQ(Roles("Tursun"), (std::vector<R>{R::kGiven}));
  EXPECT_EQ(Roles("Tursunov"), (std::vector<R>{R::kFamily}));
}

TEST(ChineseFamilyNameLength, SurnameFirst) {
  EXPECT_EQ(ChineseFamilyNameLength("王小明"), std::string("王").size());
  EXPECT_EQ(ChineseFamilyNameLength("阿克提汗"), 0u);
  EXPECT_EQ(ChineseFamilyNameLength("王"), 0u);  // a surname alone is not a full name
}

}  // namespace
}  // namespace izde::names
