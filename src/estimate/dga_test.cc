#include "estimate/dga.h"

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

TEST(DecomposableGraph, CountsAndNotation) {
  EXPECT_EQ(AllDecomposableGraphs(3).size(), 8u);
  EXPECT_EQ(AllDecomposableGraphs(4).size(), 61u);
  EXPECT_EQ(AllDecomposableGraphs(5).size(), 822u);
  DecomposableGraph empty = AllDecomposableGraphs(3)[0];
  EXPECT_EQ(empty.Notation(3), "{1},{2},{3}");
  EXPECT_EQ(empty.separators, (std::vector<uint32_t>{0, 0}));
}

TEST(DecomposableGraph, FourCycleIsNotDecomposable) {
  // The cycle 1-2-3-4-1 has no chord: it must be absent; adding chord 1-3 makes it valid.
  uint32_t cycle = (1u << EdgeIndex(0, 1, 4)) | (1u << EdgeIndex(1, 2, 4)) |
                   (1u << EdgeIndex(2, 3, 4)) | (1u << EdgeIndex(0, 3, 4));
  uint32_t chorded = cycle | (1u << EdgeIndex(0, 2, 4));
  bool has_cycle = false, has_chorded = false;
  for (const DecomposableGraph& g : AllDecomposableGraphs(4)) {
    if (g.edges == cycle) has_cycle = true;
    if (g.edges == chorded) {
      has_chorded = true;
      EXPECT_EQ(g.Notation(4), "{1,2,3},{1,3,4}");
      EXPECT_EQ(g.separators, (std::vector<uint32_t>{0b0101}));
    }
  }
  EXPECT_FALSE(has_cycle);
  EXPECT_TRUE(has_chorded);
}

TEST(Dga, SpinaBifidaMatchesMadiganYork) {
  DgaOptions o;
  o.delta = 1;
  o.prior = PopulationPrior::kNegativeBinomial;
  o.prior_a = 13.14;
  o.prior_b = 55.17;
  o.min_missing = 1;
  o.max_missing = 300;
  Result<DgaResult> r = RunDga(Load("spina_bifida.csv"), o);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->graphs, 8);
  ASSERT_FALSE(r->top.empty());
  EXPECT_EQ(r->top[0].notation, "{1,2},{3}");
  EXPECT_NEAR(r->top[0].weight, 0.37, 0.005);
  EXPECT_NEAR(r->top[0].bayes_estimate, 731, 0.5);
  EXPECT_NEAR(r->bayes_estimate, 731, 0.5);
  EXPECT_EQ(r->top[0].mode, 729);
  EXPECT_EQ(r->mode, 728);
}

TEST(Dga, FiveListsMatchesPackage) {
  DgaOptions o;
  o.delta = 0.5;
  o.min_missing = 1;
  o.max_missing = 300;
  Result<DgaResult> r = RunDga(Load("madigan_york_5.csv"), o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->graphs, 822);
  EXPECT_EQ(r->median, 616);
  EXPECT_NEAR(r->mean, 617.8, 0.1);
  EXPECT_EQ(r->mode, 614);
  EXPECT_NEAR(r->ci_low, 588, 1);
  EXPECT_NEAR(r->ci_high, 655, 1);
  EXPECT_LT(r->mass_near_range_end, 1e-3);
  EXPECT_EQ(DgaDenseMedian(Load("madigan_york_5.csv"), o), r->median);
}

TEST(Dga, KosovoDeltaSensitivity) {
  CaptureTable kosovo = Load("kosovo.csv");
  DgaOptions o;
  o.delta = 1.0 / 16;
  Result<DgaResult> small = RunDga(kosovo, o);
  ASSERT_TRUE(small.ok());
  EXPECT_NEAR(small->median, 12595, 0.01 * 12595);
  EXPECT_NEAR(small->ci_low, 9827, 0.03 * 9827);
  EXPECT_NEAR(small->ci_high, 16544, 0.03 * 16544);
  EXPECT_EQ(small->top[0].notation, "{1,2,3},{1,3,4}");
  EXPECT_NEAR(small->top[0].weight, 0.986, 0.002);
  EXPECT_EQ(DgaDenseMedian(kosovo, o), small->median);
  o.delta = 1;
  Result<DgaResult> large = RunDga(kosovo, o);
  ASSERT_TRUE(large.ok());
  EXPECT_NEAR(large->median, 4616, 0.01 * 4616);
}

TEST(Dga, RejectsBadRange) {
  DgaOptions o;
  o.min_missing = 10;
  o.max_missing = 5;
  EXPECT_FALSE(RunDga(Load("spina_bifida.csv"), o).ok());
}

}  // namespace
}  // namespace izde::estimate
