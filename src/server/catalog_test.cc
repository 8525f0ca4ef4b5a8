#include "server/catalog.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "model/schema.h"
#include "server/embedded_files.h"

namespace izde::server {
namespace {

std::vector<std::string> TemplateNames() {
  std::vector<std::string> out;
  for (auto n : EmbeddedFileNames())
    if (n.ends_with(".mustache")) out.emplace_back(n);
  return out;
}

TEST(Catalog, EveryLanguageHasExactlyTheEnglishKeys) {
  const auto& en = Catalog("en");
  ASSERT_GT(en.size(), 50u);
  for (const auto& l : Languages()) {
    const auto& c = Catalog(l.code);
    for (auto it = en.begin(); it != en.end(); ++it) {
      ASSERT_TRUE(c.contains(it.key())) << l.code << " lacks " << it.key();
      EXPECT_TRUE(c[it.key()].is_string() && !c[it.key()].get<std::string>().empty())
          << l.code << " " << it.key();
    }
    EXPECT_EQ(c.size(), en.size()) << l.code << " has keys English does not";
  }
}

TEST(Catalog, EveryStringATemplateUsesExists) {
  std::regex key(R"(\{\{\s*t\.([a-z0-9_]+)\s*\}\})");
  int used = 0;
  for (const auto& name : TemplateNames()) {
    std::string text(*EmbeddedFile(name));
    for (std::sregex_iterator it(text.begin(), text.end(), key), end; it != end; ++it) {
      EXPECT_TRUE(Catalog("en").contains((*it)[1].str())) << name << ": " << (*it)[1];
      ++used;
    }
  }
  EXPECT_GT(used, 40);
}

TEST(Catalog, EveryEnumerationTheFormsAndPagesShowHasALabel) {
  const std::pair<model::RecordType, const char*> kShown[] = {
      {model::RecordType::kPerson, "kind"},   {model::RecordType::kPerson, "gender"},
      {model::RecordType::kEvent, "kind"},    {model::RecordType::kEvent, "confidence"},
      {model::RecordType::kRelation, "kind"},
  };
  for (const auto& [type, field] : kShown)
    for (const auto& spec : model::FieldsOf(type))
      if (spec.name == field)
        for (auto c : spec.choices) {
          std::string prefix = type == model::RecordType::kRelation ? "relation" : field;
          EXPECT_TRUE(Catalog("en").contains(prefix + "_" + std::string(c))) << prefix << c;
        }
  for (auto part : model::kNameParts)
    EXPECT_TRUE(Catalog("en").contains("part_" + std::string(part))) << part;
  for (const char* t :
       {"person", "relation", "witness", "testimony", "source", "evidence", "event", "facility"})
    EXPECT_TRUE(Catalog("en").contains(std::string("type_") + t)) << t;
}

TEST(Catalog, OnlyTheLayoutInsertsUnescapedText) {
  std::regex raw(R"(\{\{\{|\{\{\s*&)");
  for (const auto& name : TemplateNames()) {
    std::string text(*EmbeddedFile(name));
    auto n =
        std::distance(std::sregex_iterator(text.begin(), text.end(), raw), std::sregex_iterator());
    EXPECT_EQ(n, name == "layout.mustache" ? 1 : 0) << name;
  }
}

TEST(Catalog, UyghurIsRightToLeft) {
  EXPECT_TRUE(IsRightToLeft("ug"));
  for (const char* c : {"kk", "ru", "en", "zh"}) EXPECT_FALSE(IsRightToLeft(c)) << c;
  EXPECT_EQ(Translate("ug", "nav_search"), "ئىزدەش");
  EXPECT_EQ(Translate("kk", "no_such_key"), "no_such_key");
}

TEST(Catalog, PicksTheChosenThenTheBrowsersLanguage) {
  EXPECT_EQ(PickLanguage("kk", "ru"), "kk");
  EXPECT_EQ(PickLanguage("", "ug-CN,ug;q=0.9,zh;q=0.8"), "ug");
  EXPECT_EQ(PickLanguage("", "de-DE,de;q=0.9,ru;q=0.5,zh;q=0.7"), "zh");
  EXPECT_EQ(PickLanguage("xx", "fr"), "en");
  EXPECT_EQ(PickLanguage("", ""), "en");
  EXPECT_EQ(PickLanguage("", "RU"), "ru");
}

}  // namespace
}  // namespace izde::server
