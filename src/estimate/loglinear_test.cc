#include "estimate/loglinear.h"

#include <gtest/gtest.h>

#include <cmath>

#include "estimate/test_data.h"

namespace izde::estimate {
namespace {

CaptureTable Load(const std::string& file) {
  Result<CaptureTable> t = ReadCaptureCounts(MseDataPath(file));
  EXPECT_TRUE(t.ok()) << t.status().message();
  return t.value();
}

const LoglinearFit* Find(const LoglinearResult& r, const std::string& brackets) {
  for (const LoglinearFit& f : r.ranked) {
    if (f.brackets == brackets) return &f;
  }
  return nullptr;
}

void ExpectRelative(double actual, double expected, double tolerance) {
  EXPECT_LE(std::fabs(actual - expected), tolerance * std::fabs(expected))
      << "actual " << actual << " expected " << expected;
}

TEST(Loglinear, KosovoBicBestMatchesRcapture) {
  Result<LoglinearResult> r = FitLoglinear(Load("kosovo.csv"), {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->models_fitted, 113);
  ASSERT_GE(r->ranked.size(), 3u);
  const LoglinearFit& best = r->ranked[0];
  EXPECT_EQ(best.brackets, "[123,14,34]");
  ExpectRelative(best.estimate, 10356.5, 0.001);
  ExpectRelative(best.se, 785.9, 0.005);
  EXPECT_NEAR(best.deviance, 9.323, 0.001);
  EXPECT_EQ(best.df, 4);
  EXPECT_NEAR(best.aic, 132.747, 0.001);
  EXPECT_NEAR(best.bic, 203.030, 0.001);
  ASSERT_TRUE(best.has_interval);
  ExpectRelative(best.ci_low, 8994.3, 0.005);
  ExpectRelative(best.ci_high, 12110.4, 0.005);
  EXPECT_EQ(r->ranked[1].brackets, "[123,134]");
  ExpectRelative(r->ranked[1].estimate, 12741.0, 0.001);
  EXPECT_NEAR(r->ranked[1].bic, 203.113, 0.001);
  EXPECT_EQ(r->ranked[2].brackets, "[12,134,23]");
  ExpectRelative(r->ranked[2].estimate, 18393.3, 0.001);
}

TEST(Loglinear, KosovoIndependence) {
  Result<LoglinearResult> r = FitLoglinear(Load("kosovo.csv"), {});
  ASSERT_TRUE(r.ok());
  const LoglinearFit* mt = Find(*r, "[1,2,3,4]");
  ASSERT_NE(mt, nullptr);
  ExpectRelative(mt->estimate, 7394.6, 0.001);
  ExpectRelative(mt->se, 129.6, 0.005);
}

TEST(Loglinear, HivRomeBicAndAic) {
  CaptureTable hiv = Load("hiv_rome.csv");
  Result<LoglinearResult> bic = FitLoglinear(hiv, {});
  ASSERT_TRUE(bic.ok());
  const LoglinearFit& mt = bic->ranked[0];
  EXPECT_EQ(mt.brackets, "[1,2,3,4]");
  ExpectRelative(mt.estimate, 11124.6, 0.001);
  ExpectRelative(mt.se, 904.8, 0.005);
  EXPECT_NEAR(mt.deviance, 13.026, 0.001);
  EXPECT_EQ(mt.df, 10);

  LoglinearOptions aic_options;
  aic_options.criterion = Criterion::kAic;
  Result<LoglinearResult> aic = FitLoglinear(hiv, aic_options);
  ASSERT_TRUE(aic.ok());
  const LoglinearFit& c12 = aic->ranked[0];
  EXPECT_EQ(c12.brackets, "[12,3,4]");
  ExpectRelative(c12.estimate, 12318.5, 0.001);
  ExpectRelative(c12.se, 1188.7, 0.005);
  ASSERT_TRUE(c12.has_interval);
  ExpectRelative(c12.ci_low, 10266, 0.005);
  ExpectRelative(c12.ci_high, 14992.3, 0.005);
}

TEST(Loglinear, HivRomeModelsWithEmptyMarginHaveNoMle) {
  // Patterns 1011 and 1111 are both empty: nobody is on c1, c3 and c4 together.
  Result<LoglinearResult> r = FitLoglinear(Load("hiv_rome.csv"), {});
  ASSERT_TRUE(r.ok());
  ASSERT_FALSE(r->no_mle.empty());
  for (const LoglinearFit& f : r->ranked) {
    for (uint32_t t : f.model.interactions) EXPECT_NE(t, 0b1101u) << f.brackets;
  }
  bool explained = false;
  for (const LoglinearFit& f : r->no_mle) {
    if (f.problem.find("1 & 3 & 4") != std::string::npos) explained = true;
  }
  EXPECT_TRUE(explained);
}

TEST(Loglinear, FiveListsUsesEveryModel) {
  Result<LoglinearResult> r = FitLoglinear(Load("madigan_york_5.csv"), {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->models_fitted, 6893);
  EXPECT_EQ(r->ranked.size() + r->no_mle.size(), 6893u);
  EXPECT_GT(r->ranked[0].estimate, 537);
}

TEST(Loglinear, SixListsSearchesStepwise) {
  // Independent lists with capture probabilities 0.3..0.55 from 2,000 people, expected
  // counts rounded: the stepwise search should settle near independence and near 2,000.
  std::vector<double> p = {0.3, 0.35, 0.4, 0.45, 0.5, 0.55};
  std::vector<int64_t> counts(64, 0);
  for (uint32_t c = 1; c < 64; ++c) {
    double prob = 1;
    for (int i = 0; i < 6; ++i) prob *= (c & (1u << i)) ? p[i] : 1 - p[i];
    counts[c] = std::llround(2000 * prob);
  }
  Result<CaptureTable> t = MakeCaptureTable({"a", "b", "c", "d", "e", "f"}, counts);
  ASSERT_TRUE(t.ok());
  Result<LoglinearResult> r = FitLoglinear(*t, {});
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->exhaustive);
  ExpectRelative(r->ranked[0].estimate, 2000, 0.02);
}

}  // namespace
}  // namespace izde::estimate
