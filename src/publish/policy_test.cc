#include "publish/policy.h"

#include <gtest/gtest.h>

namespace izde::publish {
namespace {

using model::RecordType;

TEST(Policy, DefaultTextParsesToTheDefault) {
  auto p = ParsePolicy(DefaultPolicyText(), "publish.toml");
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->fields, DefaultPolicy().fields);
  EXPECT_TRUE(p->Allows(RecordType::kPerson, "names"));
  EXPECT_FALSE(p->Allows(RecordType::kPerson, "notes"));
  EXPECT_FALSE(p->Allows(RecordType::kWitness, "name"));
}

TEST(Policy, NarrowsAndReadsSettings) {
  auto p = ParsePolicy(
      "[person]\nfields = [\"names\", \"gender\"]\n\n[testimony]\nfields = [\"people\"]\n"
      "excerpt_chars = 40\n[evidence]\nfields = [\"sha256\"]\nmedia = false\n",
      "p.toml");
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_TRUE(p->Allows(RecordType::kPerson, "names"));
  EXPECT_FALSE(p->Allows(RecordType::kPerson, "birth_date"));
  EXPECT_FALSE(p->Allows(RecordType::kEvent, "kind"));  // no [event] table: nothing
  EXPECT_EQ(p->excerpt_chars, 40u);
  EXPECT_FALSE(p->media);
}

struct BadPolicy {
  const char* text;
  const char* message;  // part of the error
};

TEST(Policy, ErrorsNameTheLine) {
  const BadPolicy cases[] = {
      {"[person]\nfields = [\"names\",\n  \"nmes\"]\n", "p.toml:3: unknown field 'nmes' of person"},
      {"\n[person]\nfields = [\"notes\"]\n",
       "p.toml:3: field 'notes' of person is never published"},
      {"[witness]\nfields = [\"name\"]\n", "p.toml:1: [witness] records are never published"},
      {"[source]\nfields = []\n", "never published"},
      {"[people]\nfields = []\n", "p.toml:1: unknown record kind [people]"},
      {"[person]\nfeilds = [\"names\"]\n", "p.toml:2: unknown setting 'feilds'"},
      {"[person]\nfields = \"names\"\n", "p.toml:2: fields must be a list"},
      {"[testimony]\nexcerpt_chars = -1\n", "p.toml:2: excerpt_chars"},
      {"[person\n", "p.toml:1"},
      {"[evidence]\nmedia = \"yes\"\n", "p.toml:2: media must be true or false"},
  };
  for (const auto& c : cases) {
    auto p = ParsePolicy(c.text, "p.toml");
    ASSERT_FALSE(p.ok()) << c.text;
    EXPECT_NE(p.status().message().find(c.message), std::string::npos)
        << c.text << " -> " << p.status().message();
  }
}

}  // namespace
}  // namespace izde::publish
