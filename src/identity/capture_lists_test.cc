// Estimation from a vault: a synthetic population of known size is put on three lists
// with known capture probabilities, some people are documented twice and linked by a
// reviewer, and the estimate's interval must cover the truth.
#include "identity/capture_lists.h"

#include <gtest/gtest.h>

#include <random>

#include "vault/test_vault_dir.h"

namespace izde::identity {
namespace {

constexpr const char* kPass = "correct horse battery staple";
constexpr int kTruth = 3000;

CaptureOptions Options(std::vector<std::string> lists, std::string stratify = "",
                       std::vector<std::string> where = {}) {
  CaptureOptions o;
  o.lists = std::move(lists);
  o.stratify = std::move(stratify);
  o.where = std::move(where);
  return o;
}

bool Has(const std::vector<std::string>& warnings, const std::string& text) {
  for (const auto& w : warnings)
    if (w.find(text) != std::string::npos) return true;
  return false;
}

class VaultEstimate : public ::testing::Test {
 protected:
  void SetUp() override {
    vault::VaultOptions o;
    o.kdf = vault::KdfCost::kTestOnlyMinimum;
    ASSERT_TRUE(vault::Vault::Create(dir_ / "v", "admin", kPass, o).ok());
    auto v = vault::Vault::Unlock(dir_ / "v", "admin", kPass, o);
    ASSERT_TRUE(v.ok());
    vault_ = std::move(v).value();
    Generate();
  }

  // Lists A, B, C catch each person independently with probability 0.35, 0.30, 0.25.
  // A person on C and another list is documented twice — once from C — and a reviewer
  // linked the two records. List D (30 people, events in 2005 only) covers another
  // period.
  void Generate() {
    std::mt19937_64 rng(7);
    std::bernoulli_distribution on_a(0.35), on_b(0.30), on_c(0.25), female(0.5);
    std::uniform_int_distribution<int> year(2017, 2019);
    std::vector<model::Record> rs = {
        {"S-A", model::RecordType::kSource, {{"kind", "leaked_list"}, {"list", "A"}}},
        {"S-B", model::RecordType::kSource, {{"kind", "official_document"}, {"list", "B"}}},
        {"S-C", model::RecordType::kSource, {{"kind", "media_report"}, {"list", "C"}}},
        {"S-D", model::RecordType::kSource, {{"kind", "other"}, {"list", "D"}}}};
    int64_t sequence = 0;
    for (int i = 0; i < kTruth; ++i) {
      const bool a = on_a(rng), b = on_b(rng), c = on_c(rng);
      const std::string gender = female(rng) ? "female" : "male";
      const int y = year(rng);
      truth_by_year_[y] += 1;
      if (!a && !b && !c) continue;
      const std::string id = "P-" + std::to_string(i);
      nlohmann::json sources = nlohmann::json::array();
      if (a) sources.push_back("S-A");
      if (b) sources.push_back("S-B");
      if (c && !a && !b) sources.push_back("S-C");
      auto person = [&](const std::string& pid, const nlohmann::json& src) {
        rs.push_back(
            {pid,
             model::RecordType::kPerson,
             {{"names", {{{"text", "Synthetic " + pid}}}}, {"gender", gender}, {"sources", src}}});
        rs.push_back({"E-" + pid,
                      model::RecordType::kEvent,
                      {{"person", pid}, {"kind", "detained"}, {"date", std::to_string(y)}}});
      };
      person(id, sources);
      if (c && (a || b)) {
        person("Q-" + std::to_string(i), nlohmann::json::array({"S-C"}));
        PairDecision d;
        d.record_id = "link-" + std::to_string(i);
        d.a = std::min(id, "Q-" + std::to_string(i));
        d.b = std::max(id, "Q-" + std::to_string(i));
        d.decision = Decision::kSame;
        d.sequence = ++sequence;
        rs.push_back(DecisionRecord(d));
        ++duplicates_;
      }
    }
    for (int i = 0; i < 30; ++i) {
      const std::string id = "D-" + std::to_string(i);
      rs.push_back({id,
                    model::RecordType::kPerson,
                    {{"names", {{{"text", "Other " + id}}}}, {"sources", {"S-D"}}}});
      rs.push_back({"E-" + id,
                    model::RecordType::kEvent,
                    {{"person", id}, {"kind", "detained"}, {"date", "2005"}}});
    }
    ASSERT_TRUE(vault_->SaveAll(std::move(rs)).ok());
    auto view = VaultView::Read(*vault_);
    ASSERT_TRUE(view.ok());
    view_ = std::move(view).value();
  }

  estimate::EstimateReport Estimate(const CaptureOptions& o, bool linked = true) {
    auto clusters = IdentityClusters::Build(
        view_.PersonIds(), linked ? view_.DecisionList() : std::vector<PairDecision>{});
    auto captures = CapturesFromVault(view_, clusters, o);
    EXPECT_TRUE(captures.ok()) << captures.status().message();
    if (!captures.ok()) return {};
    auto report = EstimateFromVault(*captures, {});
    EXPECT_TRUE(report.ok()) << report.status().message();
    return report.ok() ? *report : estimate::EstimateReport{};
  }

  vault::TestDir dir_;
  std::unique_ptr<vault::Vault> vault_;
  VaultView view_;
  std::map<int, int> truth_by_year_;
  int duplicates_ = 0;
};

TEST_F(VaultEstimate, IntervalCoversTheTruthOverIdentityClusters) {
  ASSERT_GT(duplicates_, 100);
  auto r = Estimate(Options({"A", "B", "C"}));
  ASSERT_TRUE(r.estimate && r.ci_low && r.ci_high) << r.warnings.size();
  EXPECT_LE(*r.ci_low, kTruth);
  EXPECT_GE(*r.ci_high, kTruth);
  EXPECT_EQ(r.lists, (std::vector<std::string>{"A", "B", "C"}));
  EXPECT_TRUE(Has(r.warnings, "through the links reviewers accepted"));
}

TEST_F(VaultEstimate, WithoutTheLinksDuplicatesInflateTheEstimate) {
  auto r = Estimate(Options({"A", "B", "C"}), false);
  EXPECT_TRUE(Has(r.warnings, "have nobody in common")) << r.warnings.size();
  if (r.estimate) {
    EXPECT_GT(*r.ci_low, kTruth);
  }
}

TEST_F(VaultEstimate, StrataAddUpAndCoverTheTruth) {
  auto r = Estimate(Options({"A", "B", "C"}, "gender"));
  ASSERT_EQ(r.strata.size(), 2u);
  ASSERT_TRUE(r.estimate && r.ci_low && r.ci_high);
  EXPECT_LE(*r.ci_low, kTruth);
  EXPECT_GE(*r.ci_high, kTruth);
  EXPECT_EQ(r.strata[0].report.n_observed + r.strata[1].report.n_observed, r.n_observed);
}

TEST_F(VaultEstimate, WhereFiltersToAPeriod) {
  auto all = Estimate(Options({"A", "B", "C"}));
  auto r = Estimate(Options({"A", "B", "C"}, "", {"year=2018", "event=detained"}));
  ASSERT_TRUE(r.estimate && r.ci_low && r.ci_high);
  EXPECT_LT(r.n_observed, all.n_observed);
  EXPECT_LE(*r.ci_low, truth_by_year_[2018]);
  EXPECT_GE(*r.ci_high, truth_by_year_[2018]);
}

TEST_F(VaultEstimate, WarningsAUserMustSee) {
  auto two = Estimate(Options({"A", "B"}));
  EXPECT_TRUE(Has(two.warnings, "only 2 lists"));
  auto period = Estimate(Options({"A", "B", "D"}));
  EXPECT_TRUE(Has(period.warnings, "same population and period"));
  EXPECT_TRUE(Has(period.warnings, "have nobody in common"));
}

TEST_F(VaultEstimate, BadOptionsAreClearErrors) {
  auto clusters = IdentityClusters::Build(view_.PersonIds(), view_.DecisionList());
  auto unknown = CapturesFromVault(view_, clusters, Options({"A", "Z"}));
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("no list 'Z'"), std::string::npos);
  EXPECT_NE(unknown.status().message().find("A ("), std::string::npos);
  EXPECT_FALSE(CapturesFromVault(view_, clusters, Options({"A"})).ok());
  EXPECT_FALSE(CapturesFromVault(view_, clusters, Options({}, "shoe-size")).ok());
  EXPECT_FALSE(CapturesFromVault(view_, clusters, Options({}, "", {"year=soon"})).ok());
  EXPECT_FALSE(CapturesFromVault(view_, clusters, Options({}, "", {"colour=red"})).ok());
}

}  // namespace
}  // namespace izde::identity
