#include "report/press_summary.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "demo/synthetic_people.h"
#include "report/pdf_test_support.h"
#include "report/report_language.h"

namespace izde::report {
namespace {

using model::RecordType;

TEST(PressFigures, CountPeopleByTheirLatestNews) {
  Holdings h = HoldingsOf({
      {"P-1", RecordType::kPerson, {{"names", {{{"text", "A"}}}}}},
      {"P-2", RecordType::kPerson, {{"names", {{{"text", "B"}}}}}},
      {"P-3", RecordType::kPerson, {{"names", {{{"text", "C"}}}}}},
      {"T-1", RecordType::kTestimony, {{"people", {"P-1"}}}},
      {"E-1", RecordType::kEvent, {{"person", "P-1"}, {"kind", "detained"}, {"date", "2018"}}},
      {"E-2",
       RecordType::kEvent,
       {{"person", "P-1"}, {"kind", "sentenced"}, {"date", "2019"}, {"facility", "F-1"}}},
      {"E-3", RecordType::kEvent, {{"person", "P-2"}, {"kind", "detained"}, {"date", "2017"}}},
      {"E-4", RecordType::kEvent, {{"person", "P-2"}, {"kind", "released"}, {"date", "2020"}}},
  });
  CaseLedger ledger;
  ledger.checkpoint = "izde.vault/x\n1234\nAAAA\n\n— izde.vault/x sig\n";
  const KeyFigures k = FiguresOf(h, AllFacts(h), ledger);
  EXPECT_EQ(k.people, 3);
  EXPECT_EQ(k.detained, 2);
  EXPECT_EQ(k.sentenced, 1);
  EXPECT_EQ(k.held, 1);      // P-1: sentenced
  EXPECT_EQ(k.released, 1);  // P-2
  EXPECT_EQ(k.missing, 0);
  EXPECT_EQ(k.facilities, 1);
  EXPECT_EQ(k.testimonies, 1);
  EXPECT_EQ(k.log_entries, 1234u);
}

class PressPdf : public ::testing::TestWithParam<std::string> {};

TEST_P(PressPdf, OnePageOfNumbersThatNamesNobody) {
  const std::string lang = GetParam();
  const auto records = demo::SyntheticVault({.people = 120, .seed = 11});
  const Holdings h = HoldingsOf(records);
  auto doc = BuildPressSummary(h, {}, lang, "2026-03-04");
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  const std::string path = testing::TempDir() + "/press-" + lang + ".pdf";
  ASSERT_TRUE((*doc)->Save(path).ok());
  EXPECT_NE(RunTool("pdfinfo " + path).find("Pages:           1\n"), std::string::npos)
      << "the press summary must fit one page";
  const std::string text = Squeezed(RunTool("pdftotext -enc UTF-8 " + path + " -"));
  const Words say(lang);
  EXPECT_NE(text.find(AsExtracted(say("press_title"))), std::string::npos) << lang;
  EXPECT_NE(text.find("120"), std::string::npos);
  EXPECT_NE(text.find("2026-03-04"), std::string::npos);
  // No person's name in any script, nor a witness's.
  for (const auto& r : records) {
    if (r.type == RecordType::kPerson) {
      for (const auto& n : r.doc["names"]) {
        const std::string name = n["text"].get<std::string>();
        if (n.value("part", "") == "full") {
          EXPECT_EQ(text.find(AsExtracted(name)), std::string::npos) << name;
        }
      }
    }
    if (r.type == RecordType::kWitness) {
      EXPECT_EQ(text.find(AsExtracted(r.doc["name"].get<std::string>())), std::string::npos);
    }
  }
  std::remove(path.c_str());
}

INSTANTIATE_TEST_SUITE_P(Languages, PressPdf, ::testing::ValuesIn(ReportLanguages()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace izde::report
