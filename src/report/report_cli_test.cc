// End-to-end tests of `izde stats` and `izde report` through the built binary.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli/cli_test_support.h"

namespace izde::cli {
namespace {

namespace fs = std::filesystem;

class ReportCli : public IzdeBinaryTest {
 protected:
  void SetUp() override {
    IzdeBinaryTest::SetUp();
    Write("pass", "a test passphrase\n");
    ASSERT_EQ(Izde("init --kdf-cost test-only-minimum").code, 0);
    Ran demo = Izde("-q demo --people 60 --seed 9");
    ASSERT_EQ(demo.code, 0) << demo.err;
  }
  Ran Izde(const std::string& args) {
    return RunIzde("IZDE_PASSPHRASE_FILE=" + Path("pass"), "--vault " + Path("vault") + " " + args);
  }
};

TEST_F(ReportCli, StatsCountsPeopleAsJsonCsvAndText) {
  Ran r = Izde("stats --by gender --json");
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["people_total"], 60);
  int64_t sum = 0;
  for (const auto& row : j["rows"]) sum += row["people"].get<int64_t>();
  EXPECT_EQ(sum, 60);

  r = Izde("stats --by prefecture --csv");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("key,label,people\r\n", 0), 0u) << r.out;

  r = Izde("stats");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("People by status (60 people)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Counted: "), std::string::npos);
}

TEST_F(ReportCli, StatsCountsLinkedRecordsOfOnePersonOnce) {
  // One synthetic woman entered twice (two scripts), each record from another list.
  const std::string more = Write("more.json", R"({"records": [
    {"type": "source", "id": "SRC-A", "kind": "leaked_list", "list": "A"},
    {"type": "source", "id": "SRC-B", "kind": "media_report", "list": "B"},
    {"type": "person", "id": "Q-1", "names": [{"text": "Қалида Ақытхан"}], "gender": "female"},
    {"type": "person", "id": "Q-2", "names": [{"text": "Qalida Akytkhan"}], "gender": "female"},
    {"type": "event", "id": "QE-1", "person": "Q-1", "kind": "detained", "date": "2018-03",
     "sources": ["SRC-A"]},
    {"type": "event", "id": "QE-2", "person": "Q-2", "kind": "detained", "date": "2018-03",
     "sources": ["SRC-B"]}
  ]})");
  ASSERT_EQ(Izde("-q import " + more).code, 0);
  auto total = [&] {
    Ran r = Izde("stats --by gender --json --no-estimate");
    EXPECT_EQ(r.code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out);
    EXPECT_FALSE(j.contains("undocumented"));
    EXPECT_NE(j["definition"].get<std::string>().find("identity cluster"), std::string::npos);
    return j["people_total"].get<int64_t>();
  };
  EXPECT_EQ(total(), 62);
  ASSERT_EQ(Izde("-q review --accept Q-1+Q-2").code, 0);
  EXPECT_EQ(total(), 61);
  ASSERT_EQ(Izde("-q review --undo Q-1+Q-2").code, 0);
  EXPECT_EQ(total(), 62);
}

TEST_F(ReportCli, StatsSaysWhyThereIsNoEstimate) {
  // The demo's testimonies are one list: no estimate, and the reason.
  Ran r = Izde("stats");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Estimate of the undocumented: none, because estimation needs at least "
                       "two lists"),
            std::string::npos)
      << r.out;
  r = Izde("stats --json");
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["undocumented"]["available"], false);
  EXPECT_EQ(j["undocumented"]["reason_key"], "too_few_lists");
  EXPECT_EQ(Izde("stats --no-estimate").out.find("Estimate of the undocumented"),
            std::string::npos);
}

TEST_F(ReportCli, StatsDrawsChartsWhereAsked) {
  for (const char* by : {"prefecture", "month", "facility"}) {
    const std::string svg = Path(std::string(by) + ".svg"), png = Path(std::string(by) + ".png");
    Ran r = Izde("-q stats --by " + std::string(by) + " --chart " + svg);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(Slurp(svg).rfind("<svg", 0), 0u);
    r = Izde("-q stats --by " + std::string(by) + " --chart " + png);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(Slurp(png).substr(1, 3), "PNG");
  }
}

TEST_F(ReportCli, StatsRefusesWhatItCannotDo) {
  Ran r = Izde("stats --by shoe_size");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("choose one of status, hometown"), std::string::npos) << r.err;
  r = Izde("stats --json --csv");
  EXPECT_EQ(r.code, 2);
  r = Izde("stats --chart " + Path("chart.gif"));
  EXPECT_EQ(r.code, 2);
  EXPECT_FALSE(fs::exists(Path("chart.gif")));
}

TEST_F(ReportCli, CaseFileIsWrittenOnlyWhereAsked) {
  for (const char* lang : {"en", "ug"}) {
    const std::string out = Path(std::string("case-") + lang + ".pdf");
    Ran r = Izde("report case P-000002 --lang " + std::string(lang) + " --out " + out);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(Slurp(out).rfind("%PDF-", 0), 0u);
    EXPECT_NE(r.out.find("keep it safe"), std::string::npos) << r.out;
  }
  Ran r = Izde("report case P-999999 --out " + Path("none.pdf"));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("no person with record id 'P-999999'"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(Path("none.pdf")));
  r = Izde("report case P-000002 --lang fr --out " + Path("fr.pdf"));
  EXPECT_EQ(r.code, 2);
  EXPECT_FALSE(fs::exists(Path("fr.pdf")));
  r = Izde("report case --help");
  EXPECT_NE(r.out.find("SENSITIVE"), std::string::npos) << r.out;
}

TEST_F(ReportCli, PressSummaryIsOnePage) {
  const std::string out = Path("press.pdf");
  Ran r = Izde("report press --lang kk --out " + out);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(Slurp(out).rfind("%PDF-", 0), 0u);
  r = Izde("report press --lang de --out " + Path("de.pdf"));
  EXPECT_EQ(r.code, 2);
  EXPECT_FALSE(fs::exists(Path("de.pdf")));
}

TEST_F(ReportCli, WgeidListsMissingElementsBeforeWritingAnything) {
  const std::string out = Path("wgeid.pdf");
  Ran r = Izde("report wgeid P-000002 --out " + out);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("Steps taken by the family"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Submitting source"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));

  r = Izde("--json report wgeid P-000002 --out " + out);
  EXPECT_EQ(r.code, 2);
  auto j = nlohmann::json::parse(r.out.substr(0, r.out.rfind("{\n  \"error\"")));
  EXPECT_EQ(j["complete"], false);

  const std::string steps = Write("steps.txt", "Asked at the consulate (synthetic).\n");
  r = Izde("report wgeid P-000002 --out " + out + " --steps-file " + steps +
           " --submitter 'Synthetic Group' --confidential --responsible 'police (synthetic)'");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(Slurp(out).rfind("%PDF-", 0), 0u);

  // The same as DOCX: nothing written while elements are missing, then a Word document.
  const std::string docx = Path("w.docx");
  r = Izde("report wgeid P-000002 --out " + docx);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("Steps taken by the family"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(docx));
  r = Izde("report wgeid P-000002 --out " + docx + " --steps-file " + steps +
           " --submitter 'Synthetic Group' --responsible 'police (synthetic)'");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(Slurp(docx).substr(0, 2), "PK");
  EXPECT_NE(r.out.find("keep it safe"), std::string::npos) << r.out;
  r = Izde("report wgeid P-000002 --out " + Path("w.odt") + " --draft");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("must end in .pdf or .docx"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace izde::cli
