#include "intake/person_csv.h"

#include <gtest/gtest.h>

#include <sstream>

namespace izde::intake {
namespace {

Result<PersonCsv> Read(const std::string& text, bool keep_going = false) {
  std::istringstream in(text);
  auto reader = csv::Reader::FromStream(in, "people.csv");
  return ReadPersonCsv(reader, keep_going);
}

TEST(PersonCsv, ReadsEveryColumn) {
  auto r = Read(
      "id,name,given_name,family_name,father_name,gender,birth_date,hometown,id_number,source,"
      "notes\n"
      "P-1,Қалида Ақытхан,,,,f,about 1975,Құлжа,65400219750312002X,S-1,seen 2019\n"
      "P-2,,Ilham,Tohti,,male,1969-10,Atush,990011223344,,\n");
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->people.size(), 2u);
  const auto& a = r->people[0].doc;
  EXPECT_EQ(a["names"][0]["text"], "Қалида Ақытхан");
  EXPECT_EQ(a["names"][0]["source"], "S-1");
  EXPECT_EQ(a["gender"], "female");
  EXPECT_EQ(a["birth_date"], "about 1975");
  EXPECT_EQ(a["identifiers"][0]["kind"], "prc_id");
  const auto& b = r->people[1].doc;
  EXPECT_EQ(b["names"].size(), 2u);
  EXPECT_EQ(b["names"][1]["part"], "family");
  EXPECT_EQ(b["identifiers"][0]["kind"], "kz_iin");
}

TEST(PersonCsv, ErrorsNameFileRowAndColumn) {
  auto r = Read("id,name,birth_date\nP-1,Aygul,1975\nP-2,Nurlan,1975-13-02\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().rfind("people.csv row 3, column birth_date: ", 0), 0u)
      << r.status().message();
  EXPECT_NE(r.status().message().find("13"), std::string::npos);
  r = Read("id,name,gender\nP-1,Aygul,X\n");
  EXPECT_EQ(r.status().message().rfind("people.csv row 2, column gender", 0), 0u)
      << r.status().message();
}

TEST(PersonCsv, HeaderProblems) {
  EXPECT_NE(Read("id,nmae\nP-1,x\n").status().message().find("unknown column 'nmae'"),
            std::string::npos);
  EXPECT_NE(Read("name\nx\n").status().message().find("no 'id' column"), std::string::npos);
  EXPECT_NE(Read("id,gender\nP-1,f\n").status().message().find("no name column"),
            std::string::npos);
}

TEST(PersonCsv, DuplicateIdsNameBothRows) {
  auto r = Read("id,name\nP-1,Aygul\nP-2,Nurlan\nP-1,Serik\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("row 4"), std::string::npos);
  EXPECT_NE(r.status().message().find("already used in row 2"), std::string::npos)
      << r.status().message();
}

TEST(PersonCsv, RowsWithoutANameAreRejected) {
  auto r = Read("id,name,given_name\nP-1,,\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("no name"), std::string::npos);
}

TEST(PersonCsv, KeepGoingCollectsRejects) {
  auto r = Read(
      "id,name,birth_date\nP-1,Aygul,1975\nP-2,Nurlan,1975-13-02\nP-3,Serik\nP-4,Dinara,1980\n",
      true);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->people.size(), 2u);
  ASSERT_EQ(r->rejected.size(), 2u);
  EXPECT_EQ(r->rejected[0].row, 3u);
  EXPECT_EQ(r->rejected[0].fields[0], "P-2");
  EXPECT_NE(r->rejected[1].reason.find("row 4"), std::string::npos) << r->rejected[1].reason;
}

TEST(PersonCsv, ExportRowRoundTrips) {
  auto r = Read(
      "id,name,father_name,gender,birth_date,hometown,id_number,source,notes\n"
      "P-1,Aygul Serikqyzy,Serik,female,1975,Altay,123,S-1,note\n");
  ASSERT_TRUE(r.ok());
  auto row = PersonCsvRow(r->people[0]);
  EXPECT_EQ(row, (std::vector<std::string>{"P-1", "Aygul Serikqyzy", "", "", "Serik", "female",
                                           "1975", "Altay", "123", "S-1", "note"}));
}

}  // namespace
}  // namespace izde::intake
