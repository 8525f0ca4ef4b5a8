#include "estimate/strata.h"

#include <gtest/gtest.h>

#include <cmath>

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

EstimateReport Estimate(const std::string& file, Method method) {
  EstimateOptions o;
  o.method = method;
  o.burn_in = 2000;
  o.samples = 500;
  o.thinning = 5;
  o.chains = 2;
  Result<EstimateReport> r = estimate::Run(Load(file), o);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.value();
}

TEST(Strata, LoglinearTotalsAddAndIntervalsWiden) {
  EstimateReport a = Estimate("kosovo.csv", Method::kLoglinear);
  EstimateReport b = Estimate("hiv_rome.csv", Method::kLoglinear);
  Result<EstimateReport> sum = SumStrata({{"Kosovo", a}, {"Rome", b}});
  ASSERT_TRUE(sum.ok()) << sum.status().message();
  EXPECT_EQ(sum->n_observed, 4400 + 1896);
  EXPECT_NEAR(*sum->estimate, *a.estimate + *b.estimate, 1e-6);
  const double below = std::hypot(*a.estimate - *a.ci_low, *b.estimate - *b.ci_low);
  EXPECT_NEAR(*sum->ci_low, *sum->estimate - below, 1e-6);
  EXPECT_GT(*sum->ci_high - *sum->estimate, *a.ci_high - *a.estimate);
  nlohmann::json j = ToJson(*sum);
  EXPECT_EQ(j["details"]["strata"].size(), 2u);
  EXPECT_EQ(j["details"]["strata"][1]["stratum"], "Rome");
  EXPECT_NE(ToText(*sum).find("Kosovo"), std::string::npos);
  EXPECT_NE(RenderSvg(*sum).find(">total<"), std::string::npos);
}

TEST(Strata, DgaPosteriorsAreConvolved) {
  EstimateReport a = Estimate("spina_bifida.csv", Method::kDga);
  EstimateReport b = Estimate("spina_bifida.csv", Method::kDga);
  Result<EstimateReport> sum = SumStrata({{"first", a}, {"second", b}}, 5);
  ASSERT_TRUE(sum.ok());
  // The sum of two identical independent posteriors: median near twice the median, and
  // a relative width smaller than one stratum's (by about √2).
  EXPECT_NEAR(*sum->estimate, 2 * *a.estimate, 0.02 * 2 * *a.estimate);
  const double one = (*a.ci_high - *a.ci_low) / *a.estimate;
  const double two = (*sum->ci_high - *sum->ci_low) / *sum->estimate;
  EXPECT_LT(two, one);
}

TEST(Strata, MissingEstimateLeavesTotalEmpty) {
  EstimateReport a = Estimate("kosovo.csv", Method::kLoglinear);
  EstimateReport empty = a;
  empty.estimate.reset();
  Result<EstimateReport> sum = SumStrata({{"Kosovo", a}, {"nothing", empty}});
  ASSERT_TRUE(sum.ok());
  EXPECT_FALSE(sum->estimate.has_value());
  EXPECT_TRUE(ToJson(*sum)["estimate"].is_null());
}

TEST(Strata, RejectsMixedMethods) {
  EstimateReport a = Estimate("spina_bifida.csv", Method::kLoglinear);
  EstimateReport b = Estimate("spina_bifida.csv", Method::kLcmcr);
  Result<EstimateReport> sum = SumStrata({{"a", a}, {"b", b}});
  ASSERT_FALSE(sum.ok());
  EXPECT_NE(sum.status().message().find("one method"), std::string::npos);
  EXPECT_FALSE(SumStrata({}).ok());
}

TEST(Strata, LcmcrDrawsAreSummed) {
  EstimateReport a = Estimate("spina_bifida.csv", Method::kLcmcr);
  Result<EstimateReport> sum = SumStrata({{"only", a}});
  ASSERT_TRUE(sum.ok());
  EXPECT_NEAR(*sum->estimate, *a.estimate, 0.03 * *a.estimate);
}

}  // namespace
}  // namespace izde::estimate
