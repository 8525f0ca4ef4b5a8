#include "demo/synthetic_people.h"

#include <gtest/gtest.h>

#include <set>

namespace izde::demo {
namespace {

TEST(SyntheticVault, EveryRecordIsValidAndIdsAreUnique) {
  auto records = SyntheticVault({.people = 300, .seed = 7});
  std::set<std::string> ids, scripts;
  size_t people = 0;
  for (const auto& r : records) {
    Status s = model::Validate(r);
    ASSERT_TRUE(s.ok()) << r.id << ": " << s.message();
    EXPECT_TRUE(ids.insert(r.id).second) << r.id;
    if (r.type == model::RecordType::kPerson) {
      ++people;
      for (const auto& f : r.doc["names"]) {
        std::string t = f["text"];
        if (t.find("ұлы") != std::string::npos || t.find("қызы") != std::string::npos)
          scripts.insert("Cyrl");
        if (static_cast<unsigned char>(t[0]) == 0xd8 || static_cast<unsigned char>(t[0]) == 0xd9 ||
            static_cast<unsigned char>(t[0]) == 0xdb)
          scripts.insert("Arab");
        if (static_cast<unsigned char>(t[0]) >= 0xe4) scripts.insert("Hani");
      }
    }
  }
  EXPECT_EQ(people, 300u);
  EXPECT_EQ(scripts, (std::set<std::string>{"Arab", "Cyrl", "Hani"}));
}

TEST(SyntheticVault, SameSeedSameData) {
  auto a = SyntheticVault({.people = 50, .seed = 3});
  auto b = SyntheticVault({.people = 50, .seed = 3});
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].doc, b[i].doc);
}

TEST(SyntheticPrcId, CheckCharacterFollowsMod11_2) {
  // 11010519491231002X is the standard's worked example.
  EXPECT_EQ(SyntheticPrcId(110105, 1949, 12, 31, false, 1), "11010519491231002X");
}

}  // namespace
}  // namespace izde::demo
