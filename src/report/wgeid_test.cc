#include "report/wgeid.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "report/pdf_test_support.h"

namespace izde::report {
namespace {

using model::Record;
using model::RecordType;

std::vector<Record> Records(bool with_agency) {
  nlohmann::json detained = {
      {"person", "P-1"}, {"kind", "detained"}, {"date", "spring 2018"}, {"place", "Ghulja"}};
  if (with_agency) detained["agency"] = "city public security bureau (synthetic)";
  return {
      {"P-1",
       RecordType::kPerson,
       {{"names",
         {{{"text", "Мұрат Серікұлы"}, {"part", "full"}},
          {{"text", "Murat Serikuly"}, {"part", "full"}},
          {{"text", "Serik"}, {"part", "father"}}}},
        {"gender", "male"},
        {"birth_date", "1983-04-09"},
        {"citizenships", {"CN"}},
        {"hometown", "Құлжа"}}},
      {"F-1", RecordType::kFacility, {{"names", {{{"text", "Synthetic Detention Centre 4"}}}}}},
      {"E-1", RecordType::kEvent, detained},
      {"E-2",
       RecordType::kEvent,
       {{"person", "P-1"}, {"kind", "held_at_facility"}, {"date", "2019-02"}, {"facility", "F-1"}}},
  };
}

WgeidStatement Statement() {
  return {"Asked the police in 2018 and wrote to the consulate in 2019 (synthetic).",
          "Synthetic Volunteer Group", true, ""};
}

const WgeidElement& Element(const WgeidSubmission& s, const std::string& key) {
  for (const auto& e : s.elements) {
    if (e.key == key) return e;
  }
  static const WgeidElement kNone;
  ADD_FAILURE() << "no element " << key;
  return kNone;
}

TEST(Wgeid, AssemblesEveryRequiredElementFromTheRecords) {
  CaseLedger ledger;
  ledger.entries["P-1"] = {5, 2, std::string(64, 'a')};
  auto s = AssembleWgeid(HoldingsOf(Records(true)), "P-1", Statement(), ledger);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_TRUE(s->Missing().empty()) << MissingText(*s);
  EXPECT_EQ(Element(*s, "full_name").value, "Мұрат Серікұлы");
  EXPECT_EQ(Element(*s, "other_names").value, "Murat Serikuly");  // not the father's name
  EXPECT_NE(Element(*s, "identifiers").value.find("1983-04-09"), std::string::npos);
  EXPECT_EQ(Element(*s, "date").value, "spring 2018 (detained)");
  EXPECT_EQ(Element(*s, "place").value,
            "Ghulja; last seen: Synthetic Detention Centre 4 (F-1) (held at a facility, 2019-02)");
  EXPECT_EQ(Element(*s, "responsible").value, "city public security bureau (synthetic)");
  EXPECT_NE(Element(*s, "submitter").value.find("kept confidential"), std::string::npos);
  EXPECT_TRUE(s->logged);

  auto doc = WgeidPdf(*s, "2026-02-03", /*draft=*/false);
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  const std::string path = testing::TempDir() + "/wgeid.pdf";
  ASSERT_TRUE((*doc)->Save(path).ok());
  const std::string text = Squeezed(RunTool("pdftotext -enc UTF-8 " + path + " -"));
  for (const char* s : {"Working Group on Enforced or Involuntary Disappearances", "Мұрат Серікұлы",
                        "spring 2018", "city public security", "Asked the police",
                        "Synthetic Volunteer Group", "kept confidential", "entry 5"}) {
    EXPECT_NE(text.find(Squeezed(s)), std::string::npos) << s;
  }
  EXPECT_EQ(text.find("MISSING"), std::string::npos);
  EXPECT_EQ(text.find("DRAFT"), std::string::npos);
  std::remove(path.c_str());
}

TEST(Wgeid, MissingElementsAreNamedAndOnlyADraftIsWritten) {
  WgeidStatement st;  // no steps, no submitter
  auto s = AssembleWgeid(HoldingsOf(Records(false)), "P-1", st, {});
  ASSERT_TRUE(s.ok());
  std::vector<std::string> missing;
  for (const auto* e : s->Missing()) missing.push_back(e->key);
  EXPECT_EQ(missing, (std::vector<std::string>{"responsible", "steps", "submitter"}));
  auto refused = WgeidPdf(*s, "2026-02-03", /*draft=*/false);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("Forces believed responsible"), std::string::npos);
  EXPECT_NE(refused.status().message().find("--steps"), std::string::npos);

  auto draft = WgeidPdf(*s, "2026-02-03", /*draft=*/true);
  ASSERT_TRUE(draft.ok());
  const std::string path = testing::TempDir() + "/wgeid-draft.pdf";
  ASSERT_TRUE((*draft)->Save(path).ok());
  const std::string text = RunTool("pdftotext -enc UTF-8 " + path + " -");
  EXPECT_NE(text.find("DRAFT, INCOMPLETE"), std::string::npos);
  EXPECT_NE(Squeezed(text).find(Squeezed("MISSING (required)")), std::string::npos);
  std::remove(path.c_str());

  // The submitter's word on who is responsible fills the gap, and says whose word it is.
  st.responsible = "state security (synthetic)";
  s = AssembleWgeid(HoldingsOf(Records(false)), "P-1", st, {});
  EXPECT_EQ(Element(*s, "responsible").value,
            "state security (synthetic) (as stated by the submitter)");
}

TEST(Wgeid, NoDatedDisappearanceMeansNoDate) {
  auto records = Records(true);
  records[2].doc.erase("date");
  auto s = AssembleWgeid(HoldingsOf(records), "P-1", Statement(), {});
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->Missing().size(), 1u);
  EXPECT_EQ(s->Missing()[0]->key, "date");
  EXPECT_EQ(AssembleWgeid(HoldingsOf(records), "P-7", Statement(), {}).status().code(),
            Status::Code::kNotFound);
}

}  // namespace
}  // namespace izde::report
