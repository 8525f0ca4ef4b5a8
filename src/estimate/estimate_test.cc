#include "estimate/estimate.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

#include "estimate/report.h"
#include "estimate/svg_plot.h"
#include "estimate/test_data.h"

namespace izde::estimate {
namespace {

CaptureTable Load(const std::string& file) {
  Result<CaptureTable> t = ReadCaptureCounts(MseDataPath(file));
  EXPECT_TRUE(t.ok()) << t.status().message();
  return t.value();
}

bool HasWarning(const EstimateReport& r, const std::string& part) {
  for (const std::string& w : r.warnings) {
    if (w.find(part) != std::string::npos) return true;
  }
  return false;
}

TEST(Estimate, JsonHasExactlyTheIssueKeys) {
  Result<EstimateReport> r = estimate::Run(Load("kosovo.csv"), {});
  ASSERT_TRUE(r.ok());
  nlohmann::json j = ToJson(*r);
  std::set<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.insert(it.key());
  EXPECT_EQ(keys, (std::set<std::string>{"method", "lists", "n_observed", "estimate", "ci_low",
                                         "ci_high", "model", "warnings", "details"}));
  EXPECT_EQ(j["method"], "loglinear");
  EXPECT_EQ(j["model"], "[123,14,34]");
  EXPECT_EQ(j["n_observed"], 4400);
  EXPECT_NEAR(j["estimate"].get<double>(), 10356.5, 10);
  EXPECT_EQ(j["details"]["leading_models"][1]["model"], "[123,134]");
  EXPECT_TRUE(j["warnings"].is_array());
}

TEST(Estimate, KosovoWarnsThatModelChoiceMatters) {
  Result<EstimateReport> r = estimate::Run(Load("kosovo.csv"), {});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(HasWarning(*r, "model choice matters: [123,134]")) << ToText(*r);
  const std::string text = ToText(*r);
  EXPECT_NE(text.find("Estimated total:  10,357"), std::string::npos) << text;
  EXPECT_NE(text.find("8,994 – 12,110"), std::string::npos) << text;
}

TEST(Estimate, TwoListsWarnDependenceCannotBeChecked) {
  Result<CaptureTable> t = MakeCaptureTable({"a", "b"}, {0, 60, 40, 20});
  ASSERT_TRUE(t.ok());
  Result<EstimateReport> r = estimate::Run(*t, {});
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->estimate.has_value());
  EXPECT_NEAR(*r->estimate, 80.0 * 60 / 20 - 0, 0.01 * 240);  // Lincoln–Petersen: 240
  EXPECT_TRUE(HasWarning(*r, "only 2 lists"));
}

TEST(Estimate, EmptyListAndNoOverlapAreWarned) {
  // List c is empty; lists a and b share nobody.
  std::vector<int64_t> counts(8, 0);
  counts[0b001] = 50;
  counts[0b010] = 70;
  Result<CaptureTable> t = MakeCaptureTable({"a", "b", "c"}, counts);
  ASSERT_TRUE(t.ok());
  Result<EstimateReport> r = estimate::Run(*t, {});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(HasWarning(*r, "list 'c' has no records"));
  EXPECT_TRUE(HasWarning(*r, "lists 'a' and 'b' have nobody in common"));
  EXPECT_TRUE(HasWarning(*r, "sparse"));
  // Nothing here says how many were missed: no number may be printed.
  EXPECT_FALSE(r->estimate.has_value());
  EXPECT_TRUE(ToJson(*r)["estimate"].is_null());
  EXPECT_NE(ToText(*r).find("none"), std::string::npos);
}

TEST(Estimate, UnstableEstimateIsWithheld) {
  // Three lists of 200 that share almost nobody: the overlap cannot pin down the total.
  std::vector<int64_t> counts(8, 0);
  counts[0b001] = counts[0b010] = counts[0b100] = 200;
  counts[0b011] = counts[0b101] = counts[0b110] = 1;
  Result<CaptureTable> t = MakeCaptureTable({"a", "b", "c"}, counts);
  ASSERT_TRUE(t.ok());
  Result<EstimateReport> r = estimate::Run(*t, {});
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->estimate.has_value()) << ToText(*r);
  EXPECT_TRUE(HasWarning(*r, "no estimate is given")) << ToText(*r);
  // The expert still finds the model's figures in the details.
  EXPECT_FALSE(ToJson(*r)["details"]["leading_models"].empty());
}

TEST(Estimate, TextNamesTheDependentLists) {
  Result<CaptureTable> t = ReadCaptureCounts(MseDataPath("kosovo.csv"));
  ASSERT_TRUE(t.ok());
  t->lists = {"EXH", "ABA", "OSCE", "HRW"};
  Result<EstimateReport> r = estimate::Run(*t, {});
  ASSERT_TRUE(r.ok());
  EXPECT_NE(ToText(*r).find("(dependence between EXH·ABA·OSCE, EXH·HRW and OSCE·HRW)"),
            std::string::npos)
      << ToText(*r);
}

TEST(Estimate, CoverageMismatchIsWarned) {
  EstimateOptions o;
  o.coverage = {{"EXH", "Kosovo Albanians", "1999"},
                {"ABA", "Kosovo Albanians", "1998-1999"},
                {"OSCE", "Kosovo Albanians", "1999"},
                {"HRW", "Kosovo Albanians", "1999"}};
  Result<EstimateReport> r = estimate::Run(Load("kosovo.csv"), o);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(HasWarning(*r, "do not cover the same population and period"));
}

TEST(Estimate, DgaWarnsAboutDelta) {
  EstimateOptions o;
  o.method = Method::kDga;
  Result<EstimateReport> r = estimate::Run(Load("kosovo.csv"), o);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->model, "{1,2,3},{1,3,4}");
  EXPECT_TRUE(HasWarning(*r, "depends on the prior setting delta"));
  nlohmann::json j = ToJson(*r);
  EXPECT_EQ(j["method"], "dga");
  EXPECT_TRUE(j["details"].contains("top_graphs"));
}

TEST(Estimate, LcmcrReportsConvergence) {
  EstimateOptions o;
  o.method = Method::kLcmcr;
  o.chains = 2;
  o.burn_in = 200;
  o.samples = 100;
  o.thinning = 1;
  Result<EstimateReport> r = estimate::Run(Load("hiv_rome.csv"), o);
  ASSERT_TRUE(r.ok());
  // So short a run cannot have converged: the report must say so.
  EXPECT_TRUE(HasWarning(*r, "not converged"));
  nlohmann::json j = ToJson(*r);
  EXPECT_TRUE(j["details"].contains("rhat"));
  EXPECT_TRUE(j["details"].contains("effective_samples"));
}

TEST(Estimate, ParsesNames) {
  EXPECT_EQ(ParseMethod("dga").value(), Method::kDga);
  EXPECT_FALSE(ParseMethod("bayes").ok());
  EXPECT_EQ(ParseCriterion("aic").value(), Criterion::kAic);
  EXPECT_FALSE(ParseCriterion("dic").ok());
}

TEST(SvgPlot, WritesAChartForEachMethod) {
  for (Method m : {Method::kLoglinear, Method::kDga, Method::kLcmcr}) {
    EstimateOptions o;
    o.method = m;
    o.burn_in = 100;
    o.samples = 100;
    o.thinning = 1;
    Result<EstimateReport> r = estimate::Run(Load("spina_bifida.csv"), o);
    ASSERT_TRUE(r.ok());
    const std::string svg = RenderSvg(*r);
    EXPECT_EQ(svg.rfind("<svg", 0), 0u);
    EXPECT_NE(svg.find("</svg>"), std::string::npos);
    EXPECT_NE(svg.find(m == Method::kLoglinear ? "<circle" : "<rect x"), std::string::npos);
  }
  Result<EstimateReport> r = estimate::Run(Load("kosovo.csv"), {});
  ASSERT_TRUE(r.ok());
  const std::string path = testing::TempDir() + "/kosovo_plot.svg";
  ASSERT_TRUE(WriteSvgPlot(*r, path).ok());
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  EXPECT_NE(content.str().find("[123,14,34]"), std::string::npos);
  EXPECT_NE(content.str().find("4,400 people documented"), std::string::npos);
  std::remove(path.c_str());
  EXPECT_FALSE(WriteSvgPlot(*r, "/nonexistent/dir/plot.svg").ok());
}

}  // namespace
}  // namespace izde::estimate
