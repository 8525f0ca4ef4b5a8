#include "report/undocumented.h"

#include <gtest/gtest.h>

#include <random>

#include "estimate/report.h"
#include "report/pdf_test_support.h"
#include "report/press_summary.h"
#include "report/report_language.h"

namespace izde::report {
namespace {

using model::Record;
using model::RecordType;

// `population` synthetic people, each caught by lists A, B and C independently
// (probabilities 0.5, 0.4, 0.3); the vault holds only those on some list, with an event
// citing each list's source. With `duplicates`, everyone on both A and B is entered a
// second time for list B and linked by a reviewer.
std::vector<Record> ThreeLists(int population, bool duplicates, bool link) {
  std::vector<Record> out = {
      {"SA", RecordType::kSource, {{"kind", "leaked_list"}, {"list", "A"}}},
      {"SB", RecordType::kSource, {{"kind", "media_report"}, {"list", "B"}}},
      {"SC", RecordType::kSource, {{"kind", "other"}, {"list", "C"}}},
  };
  std::mt19937_64 rng(42);
  std::bernoulli_distribution a(0.5), b(0.4), c(0.3);
  int events = 0, links = 0;
  for (int i = 0; i < population; ++i) {
    const bool in_a = a(rng), in_b = b(rng), in_c = c(rng);
    if (!in_a && !in_b && !in_c) continue;
    const std::string id = "P-" + std::to_string(i);
    out.push_back({id, RecordType::kPerson, {{"names", {{{"text", "Synthetic " + id}}}}}});
    std::vector<std::string> sources;
    if (in_a) sources.push_back("SA");
    if (in_c) sources.push_back("SC");
    std::string b_holder = id;
    if (in_b && in_a && duplicates) {
      b_holder = id + "-B";
      out.push_back(
          {b_holder, RecordType::kPerson, {{"names", {{{"text", "Synthetic " + b_holder}}}}}});
      if (link)
        out.push_back({"L-" + std::to_string(++links),
                       RecordType::kLink,
                       {{"a", id}, {"b", b_holder}, {"decision", "same"}, {"sequence", links}}});
    } else if (in_b) {
      sources.push_back("SB");
    }
    if (!sources.empty())
      out.push_back({"E-" + std::to_string(++events),
                     RecordType::kEvent,
                     {{"person", id}, {"kind", "detained"}, {"sources", sources}}});
    if (b_holder != id)
      out.push_back({"E-" + std::to_string(++events),
                     RecordType::kEvent,
                     {{"person", b_holder}, {"kind", "detained"}, {"sources", {"SB"}}}});
  }
  return out;
}

TEST(Undocumented, EstimatesTheMissingFromListOverlapOverClusters) {
  const UndocumentedEstimate e = EstimateUndocumented(HoldingsOf(ThreeLists(2000, true, true)));
  ASSERT_TRUE(e.available()) << e.reason;
  EXPECT_EQ(e.lists, (std::vector<std::string>{"A", "B", "C"}));
  // 2000 × (1 − 0.5·0.6·0.7) = 1580 expected on some list; duplicates linked count once.
  EXPECT_GT(e.documented, 1500);
  EXPECT_LT(e.documented, 1660);
  ASSERT_TRUE(e.has_interval);
  EXPECT_LE(e.ci_low, 2000);
  EXPECT_GE(e.ci_high, 2000);
  EXPECT_GT(e.undocumented(), 0);
  const nlohmann::json j = ToJson(e);
  EXPECT_EQ(j["available"], true);
  EXPECT_EQ(j["documented"], e.documented);
  EXPECT_FALSE(j["caveat"].get<std::string>().empty());
  EXPECT_NE(ToText(e).find("never documented"), std::string::npos) << ToText(e);

  // Unlinked duplicates look like less overlap between A and B: the estimate inflates.
  const UndocumentedEstimate unlinked =
      EstimateUndocumented(HoldingsOf(ThreeLists(2000, true, false)));
  ASSERT_TRUE(unlinked.available()) << unlinked.reason;
  EXPECT_GT(unlinked.documented, e.documented);
  EXPECT_GT(unlinked.total, e.ci_high);
}

TEST(Undocumented, AbsentWithAReasonBelowTwoLists) {
  std::vector<Record> records = {
      {"SA", RecordType::kSource, {{"kind", "leaked_list"}, {"list", "A"}}},
      {"P-1", RecordType::kPerson, {{"names", {{{"text", "Synthetic"}}}}}},
      {"E-1", RecordType::kEvent, {{"person", "P-1"}, {"kind", "detained"}, {"sources", {"SA"}}}},
  };
  const UndocumentedEstimate e = EstimateUndocumented(HoldingsOf(records));
  EXPECT_FALSE(e.available());
  EXPECT_EQ(e.reason_key, "too_few_lists");
  EXPECT_NE(e.reason.find("at least two lists"), std::string::npos) << e.reason;
  EXPECT_NE(ToText(e).find("Estimate of the undocumented: none, because"), std::string::npos);
  EXPECT_EQ(ToJson(e)["available"], false);
  EXPECT_FALSE(ToJson(e).contains("estimated_total"));
  for (const std::string& lang : ReportLanguages()) {
    const auto s = EstimateSentences(e, lang);
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(s[0], Words(lang)("estimate_none_too_few_lists", {{"n", "1"}})) << lang;
    EXPECT_NE(s[0].find('1'), std::string::npos) << lang;
  }
  EXPECT_EQ(EstimateUndocumented(HoldingsOf({})).reason_key, "too_few_lists");
}

class PressEstimate : public ::testing::TestWithParam<std::string> {};

TEST_P(PressEstimate, ThePressSummaryCarriesTheEstimateAndItsCaveatOnOnePage) {
  const std::string lang = GetParam();
  const Holdings h = HoldingsOf(ThreeLists(600, false, false));
  const UndocumentedEstimate e = EstimateUndocumented(h);
  ASSERT_TRUE(e.available()) << e.reason;
  auto doc = BuildPressSummary(h, {}, lang, "2026-03-04");
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  const std::string path = testing::TempDir() + "/press-estimate-" + lang + ".pdf";
  ASSERT_TRUE((*doc)->Save(path).ok());
  EXPECT_NE(RunTool("pdfinfo " + path).find("Pages:           1\n"), std::string::npos);
  const std::string text = Squeezed(RunTool("pdftotext -enc UTF-8 " + path + " -"));
  const std::string total = estimate::FormatCount(e.total);
  EXPECT_NE(text.find(total), std::string::npos) << lang << ": " << total << "\n" << text;
  EXPECT_NE(text.find(estimate::FormatCount(e.ci_low)), std::string::npos) << lang;
  std::remove(path.c_str());
}

INSTANTIATE_TEST_SUITE_P(Languages, PressEstimate, ::testing::ValuesIn(ReportLanguages()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace izde::report
