#include "estimate/lcmcr.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <string>

#include "estimate/test_data.h"

namespace izde::estimate {
namespace {

bool LongTests() {
  const char* v = std::getenv("IZDE_LONG_TESTS");
  return v && std::string(v) == "1";
}

// Lets a reviewer rerun the short test over other seeds: IZDE_TEST_SEED=12 ...
uint64_t SeedFromEnvironment(uint64_t fallback) {
  const char* v = std::getenv("IZDE_TEST_SEED");
  return v ? std::strtoull(v, nullptr, 10) : fallback;
}

CaptureTable Kosovo() {
  Result<CaptureTable> t = ReadCaptureCounts(MseDataPath("kosovo.csv"));
  EXPECT_TRUE(t.ok()) << t.status().message();
  return t.value();
}

TEST(Lcmcr, DefaultClasses) {
  EXPECT_EQ(DefaultClasses(2), 3);
  EXPECT_EQ(DefaultClasses(3), 7);
  EXPECT_EQ(DefaultClasses(4), 15);
  EXPECT_EQ(DefaultClasses(8), 15);
}

TEST(Lcmcr, KosovoShortRunNearReference) {
  LcmcrOptions o;
  o.classes = 10;
  o.chains = 2;
  o.burn_in = 5000;
  o.samples = 1500;
  o.thinning = 15;
  o.seed = SeedFromEnvironment(7);
  Result<LcmcrResult> r = RunLcmcr(Kosovo(), o);
  ASSERT_TRUE(r.ok()) << r.status().message();
  // A short run: loose tolerance around the long-run reference (median 10,430).
  EXPECT_NEAR(r->median, 10430, 0.10 * 10430);
  EXPECT_LT(r->ci_low, r->median);
  EXPECT_GT(r->ci_high, r->median);
  EXPECT_GT(r->ci_low, 4400);
  EXPECT_GT(r->effective_samples, 1);
  EXPECT_EQ(r->draws.size(), 2u);
  EXPECT_EQ(r->draws[0].size(), 1500u);
}

TEST(Lcmcr, SameSeedSameDraws) {
  LcmcrOptions o;
  o.classes = 5;
  o.chains = 2;
  o.burn_in = 100;
  o.samples = 50;
  o.thinning = 1;
  o.seed = 3;
  Result<LcmcrResult> a = RunLcmcr(Kosovo(), o);
  o.threads = 1;
  Result<LcmcrResult> b = RunLcmcr(Kosovo(), o);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->draws, b->draws);
  o.seed = 4;
  Result<LcmcrResult> c = RunLcmcr(Kosovo(), o);
  ASSERT_TRUE(c.ok());
  EXPECT_NE(a->draws, c->draws);
}

TEST(Lcmcr, RejectsBadOptions) {
  LcmcrOptions o;
  o.chains = 0;
  EXPECT_FALSE(RunLcmcr(Kosovo(), o).ok());
  o = {};
  o.thinning = 0;
  EXPECT_FALSE(RunLcmcr(Kosovo(), o).ok());
}

TEST(Lcmcr, KosovoLongRunMatchesReference) {
  if (!LongTests()) GTEST_SKIP() << "set IZDE_LONG_TESTS=1 for the long LCMCR run";
  LcmcrOptions o;
  o.classes = 10;
  o.chains = 4;
  o.burn_in = 20000;
  o.samples = 10000;
  o.thinning = 20;
  o.seed = 11;
  Result<LcmcrResult> r = RunLcmcr(Kosovo(), o);
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(r->median, 10430, 0.02 * 10430);
  EXPECT_NEAR(r->ci_low, 8975, 0.04 * 8975);
  EXPECT_NEAR(r->ci_high, 13912, 0.04 * 13912);
  EXPECT_LT(r->rhat, 1.1);
}

}  // namespace
}  // namespace izde::estimate
