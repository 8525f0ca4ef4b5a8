#include "report/case_file.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>

#include "report/pdf_test_support.h"
#include "report/report_language.h"

namespace izde::report {
namespace {

using model::Record;
using model::RecordType;

constexpr const char* kSha = "5a1f2f0c9b3de7a4c1e0f6b2d8a9c3e4f5061728394a5b6c7d8e9f0a1b2c3d4e";

// A synthetic family: a person with names in four scripts, her father, a testimony by a
// witness whose name must never reach the file, a source, events and an evidence file.
Holdings Family() {
  return HoldingsOf({
      {"P-1",
       RecordType::kPerson,
       {{"names",
         {{{"text", "Гүлнар Тұрсынқызы"}, {"part", "full"}},
          {{"text", "Gulnar Tursunkyzy"}, {"part", "full"}},
          {{"text", "گۈلنار تۇرسۇن"}, {"part", "full"}},
          {{"text", "古丽娜尔·吐尔逊"}, {"part", "full"}}}},
        {"gender", "female"},
        {"birth_date", "about 1979"},
        {"hometown", "Қашқар"},
        {"identifiers", {{{"kind", "prc_id"}, {"value", "653101197903150022"}}}}}},
      {"P-2", RecordType::kPerson, {{"names", {{{"text", "Тұрсын Ахметұлы"}}}}}},
      {"R-1", RecordType::kRelation, {{"from", "P-2"}, {"to", "P-1"}, {"kind", "parent"}}},
      {"W-1", RecordType::kWitness, {{"name", "Secret Witness Qwertyuiop"}}},
      {"T-1",
       RecordType::kTestimony,
       {{"witness", "W-1"}, {"date", "2019-05"}, {"place", "Almaty"}, {"people", {"P-1"}}}},
      {"S-1",
       RecordType::kSource,
       {{"kind", "testimony"}, {"testimony", "T-1"}, {"reliability", "B"}}},
      {"F-1", RecordType::kFacility, {{"names", {{{"text", "Synthetic Camp No. 9"}}}}}},
      {"E-1",
       RecordType::kEvent,
       {{"person", "P-1"},
        {"kind", "detained"},
        {"date", "spring 2018"},
        {"sources", {"S-1"}},
        {"agency", "county police (synthetic)"}}},
      {"E-2",
       RecordType::kEvent,
       {{"person", "P-1"},
        {"kind", "sentenced"},
        {"date", "2019"},
        {"term_months", 120},
        {"facility", "F-1"},
        {"sources", {"S-1"}}}},
      {"V-1",
       RecordType::kEvidence,
       {{"media_type", "video/mp4"},
        {"sha256", kSha},
        {"size", 2400000},
        {"original_name", "Secret Filename Asdfghjkl.mp4"},
        {"blob", "b"},
        {"blob_key", "k"},
        {"testimony", "T-1"}}},
  });
}

CaseLedger Ledger() {
  CaseLedger l;
  l.origin = "izde.vault/0123456789abcdef";
  l.checkpoint = "izde.vault/0123456789abcdef\n42\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
  l.entries["P-1"] = {17, 3, std::string(64, 'c')};
  l.entries["E-2"] = {23, 1, std::string(64, 'd')};
  return l;
}

class CaseFilePdf : public ::testing::TestWithParam<std::string> {};

TEST_P(CaseFilePdf, RendersExtractsAndEmbedsTheRightFonts) {
  const std::string lang = GetParam();
  const Words say(lang);
  auto doc = BuildCaseFile(Family(), "P-1", Ledger(), {.lang = lang, .prepared_on = "2026-01-02"});
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  const std::string path = testing::TempDir() + "/case-" + lang + ".pdf";
  ASSERT_TRUE((*doc)->Save(path).ok());
  EXPECT_EQ(ReadBytes(path).rfind("%PDF-", 0), 0u);

  const std::string text = Squeezed(RunTool("pdftotext -enc UTF-8 " + path + " -"));
  for (const char* key : {"section_identity", "section_timeline", "section_evidence",
                          "section_proof", "section_signatures", "sig_lawyer"}) {
    EXPECT_NE(text.find(AsExtracted(say(key))), std::string::npos) << lang << ": " << key;
  }
  // The name in every script, the identity number, sources, hashes and the log entry.
  // (Table cells wrap and pdftotext reads across columns, so long cells are checked by
  // their parts; a hash is printed as two lines of 32 digits.)
  const std::string sha(kSha);
  for (const std::string& s :
       {std::string("Гүлнар Тұрсынқызы"), std::string("Gulnar Tursunkyzy"),
        std::string("گۈلنار تۇرسۇن"), std::string("古丽娜尔·吐尔逊"),
        std::string("653101197903150022"), std::string("Тұрсын Ахметұлы"), std::string("T-1"),
        std::string("S-1"), std::string("Synthetic Camp"), std::string("county police"),
        sha.substr(0, 32), sha.substr(32), std::string("#23"),
        std::string("izde.vault/0123456789abcdef"), std::string("2026-01-02")}) {
    EXPECT_NE(text.find(AsExtracted(s)), std::string::npos) << lang << ": " << s;
  }
  // Never the witness, never the file's original name.
  EXPECT_EQ(text.find("Qwertyuiop"), std::string::npos);
  EXPECT_EQ(text.find("Asdfghjkl"), std::string::npos);
  EXPECT_EQ(ReadBytes(path).find("Qwertyuiop"), std::string::npos);

  // Chinese glyphs come from a CJK font, Uyghur from an Arabic-script font: no tofu.
  const std::string fonts = RunTool("pdffonts " + path);
  EXPECT_NE(fonts.find("NotoSansCJK"), std::string::npos) << fonts;
  EXPECT_NE(fonts.find("Arabic"), std::string::npos) << fonts;

  // The first page renders to an image with ink on it.
  const std::string png_base = testing::TempDir() + "/case-" + lang;
  RunTool("pdftoppm -r 40 -f 1 -l 1 -png -singlefile " + path + " " + png_base);
  const std::string png = ReadBytes(png_base + ".png");
  EXPECT_EQ(png.substr(1, 3), "PNG");
  EXPECT_GT(png.size(), 8000u);
  std::remove(path.c_str());
  std::remove((png_base + ".png").c_str());
}

INSTANTIATE_TEST_SUITE_P(Languages, CaseFilePdf, ::testing::ValuesIn(ReportLanguages()),
                         [](const auto& info) { return info.param; });

TEST(CaseFile, RelativesAreNamedByTheirRoleAndUnknownPeopleRefused) {
  auto doc = BuildCaseFile(Family(), "P-2", Ledger(), {.lang = "en", .prepared_on = "2026-01-02"});
  ASSERT_TRUE(doc.ok());
  auto bytes = (*doc)->Finish();
  ASSERT_TRUE(bytes.ok());
  const std::string path = testing::TempDir() + "/case-p2.pdf";
  std::ofstream(path, std::ios::binary) << *bytes;
  const std::string text = RunTool("pdftotext -enc UTF-8 " + path + " -");
  // P-2 is P-1's parent: on P-2's file, P-1 is the child.
  EXPECT_NE(text.find("child"), std::string::npos) << text;
  EXPECT_NE(text.find("This record is not in the tamper-evident log."), std::string::npos);
  std::remove(path.c_str());

  EXPECT_EQ(BuildCaseFile(Family(), "P-9", Ledger(), {}).status().code(), Status::Code::kNotFound);
  EXPECT_EQ(BuildCaseFile(Family(), "W-1", Ledger(), {}).status().code(), Status::Code::kNotFound);
  EXPECT_FALSE(BuildCaseFile(Family(), "P-1", Ledger(), {.lang = "fr", .prepared_on = ""}).ok());
}

TEST(ReportWords, EveryLanguageHasEveryKeyOfEnglish) {
  const Words en("en");
  for (const std::string& lang : ReportLanguages()) {
    const Words say(lang);
    for (const char* key :
         {"case_title", "section_proof", "role_grandchild", "id_kz_iin", "page"}) {
      EXPECT_TRUE(say.Has(key)) << lang << " " << key;
    }
    if (lang != "en") {
      EXPECT_NE(say("case_title"), en("case_title")) << lang;
    }
    // Interface words come from the web catalogs.
    EXPECT_TRUE(say.Has("kind_detained")) << lang;
  }
  EXPECT_EQ(en("page", {{"n", "7"}}), "Page 7");
  EXPECT_EQ(en("no_such_key"), "no_such_key");
}

}  // namespace
}  // namespace izde::report
