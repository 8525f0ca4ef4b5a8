// The vault side of record linkage: clusters from decisions, the linkage run, the review
// decisions with their constraints, inquiries, and that none of it leaks a name to disk.
#include <gtest/gtest.h>
#include <unicode/unistr.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>

#include "demo/synthetic_people.h"
#include "identity/identity_clusters.h"
#include "identity/inquiries.h"
#include "identity/link_run.h"
#include "identity/review.h"
#include "vault/test_vault_dir.h"

namespace izde::identity {
namespace {

namespace fs = std::filesystem;
constexpr const char* kPass = "correct horse battery staple";

PairDecision Accept(const std::string& a, const std::string& b, int64_t seq,
                    Decision d = Decision::kSame) {
  PairDecision x;
  x.record_id = "link-" + std::to_string(seq);
  x.a = std::min(a, b);
  x.b = std::max(a, b);
  x.decision = d;
  x.sequence = seq;
  return x;
}

TEST(IdentityClusters, NamesAreStableAsDecisionsAreAdded) {
  std::vector<std::string> people = {"A", "B", "C", "D", "E", "0"};
  std::vector<PairDecision> ds = {Accept("A", "B", 1), Accept("C", "D", 2)};
  auto c = IdentityClusters::Build(people, ds);
  EXPECT_EQ(c.ClusterOf("B"), "A");
  EXPECT_EQ(c.ClusterOf("D"), "C");
  EXPECT_EQ(c.ClusterOf("E"), "E");
  EXPECT_EQ(c.SizeOf("E"), 1u);
  // A person with a smaller id joining later does not rename the cluster.
  ds.push_back(Accept("0", "D", 3));
  c = IdentityClusters::Build(people, ds);
  EXPECT_EQ(c.ClusterOf("0"), "C");
  // Two clusters joining: the one formed first gives the name.
  ds.push_back(Accept("B", "C", 4));
  c = IdentityClusters::Build(people, ds);
  EXPECT_EQ(c.ClusterOf("0"), "A");
  EXPECT_EQ(c.MembersWith("D"), (std::vector<std::string>{"0", "A", "B", "C", "D"}));
  // Taking the bridge back splits them again under their old names.
  ds.back().decision = Decision::kDifferent;
  c = IdentityClusters::Build(people, ds);
  EXPECT_EQ(c.ClusterOf("B"), "A");
  EXPECT_EQ(c.ClusterOf("0"), "C");
  EXPECT_EQ(c.multi().size(), 2u);
}

TEST(PairKey, ParsesEitherOrderAndRejectsNonsense) {
  auto p = ParsePairKey("P-2+P-1");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->first, "P-1");
  EXPECT_EQ(PairKey("P-2", "P-1"), "P-1+P-2");
  EXPECT_FALSE(ParsePairKey("P-1").ok());
  EXPECT_FALSE(ParsePairKey("P-1+P-1").ok());
  EXPECT_FALSE(ParsePairKey("P-1+P 2").ok());
}

class VaultLinkage : public ::testing::Test {
 protected:
  void SetUp() override {
    vault::VaultOptions o;
    o.kdf = vault::KdfCost::kTestOnlyMinimum;
    ASSERT_TRUE(vault::Vault::Create(dir_ / "v", "admin", kPass, o).ok());
    auto v = vault::Vault::Unlock(dir_ / "v", "admin", kPass, o);
    ASSERT_TRUE(v.ok()) << v.status().message();
    vault_ = std::move(v).value();
  }

  static model::Record Person(const std::string& id, const std::string& name,
                              const std::string& birth, const std::string& hometown,
                              const std::string& prc_id = "", const std::string& kind = "") {
    model::Record r{id, model::RecordType::kPerson, {{"names", {{{"text", name}}}}}};
    if (!birth.empty()) r.doc["birth_date"] = birth;
    if (!hometown.empty()) r.doc["hometown"] = hometown;
    if (!prc_id.empty()) r.doc["identifiers"] = {{{"kind", "prc_id"}, {"value", prc_id}}};
    if (!kind.empty()) r.doc["kind"] = kind;
    return r;
  }

  // Two records of one woman in two scripts, two namesakes with different valid ID
  // numbers, a father and son with the same name, a sought person (an inquiry) for the
  // woman, and an event about her.
  void Fill() {
    const std::string id1 = demo::SyntheticPrcId(653101, 1960, 4, 12, true, 17);
    const std::string id2 = demo::SyntheticPrcId(653101, 1960, 4, 12, true, 18);
    std::vector<model::Record> rs = {
        Person("P-1", "Қалида Ақытхан", "1975-03-02", "Құлжа"),
        Person("P-2", "Qalida Akytkhan", "1975-03-02", "Ghulja"),
        Person("P-3", "Memet Tursun", "1960-04-12", "Kashgar", id1),
        Person("P-4", "Memet Tursun", "1960-04-12", "Kashgar", id2),
        Person("P-5", "Erkin Yasin", "1980-01-01", "Aksu"),
        Person("P-6", "Erkin Yasin", "1980-01-01", "Aksu"),
        Person("S-1", "Kalida Akytkan", "1975", "Ghulja", "", "sought"),
        {"R-1", model::RecordType::kRelation, {{"from", "P-5"}, {"to", "P-6"}, {"kind", "parent"}}},
        {"E-1",
         model::RecordType::kEvent,
         {{"person", "P-2"}, {"kind", "detained"}, {"date", "2018"}}},
    };
    ASSERT_TRUE(vault_->SaveAll(rs).ok());
  }

  vault::TestDir dir_;
  std::unique_ptr<vault::Vault> vault_;
};

TEST_F(VaultLinkage, LinkQueuesTheLikelyPairAndHoldsConstraintsApart) {
  Fill();
  auto run = LinkVault(*vault_, {});
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_EQ(run->people, 7u);
  auto review = Review::Open(*vault_);
  ASSERT_TRUE(review.ok()) << review.status().message();
  std::set<std::string> queued;
  for (const auto& p : review->queue()->pairs) queued.insert(PairKey(p.a, p.b));
  EXPECT_TRUE(queued.count("P-1+P-2"));
  // Different valid ID numbers, and relatives, are never queued.
  EXPECT_FALSE(queued.count("P-3+P-4"));
  EXPECT_FALSE(queued.count("P-5+P-6"));
  EXPECT_GE(run->held_apart, 2u);
  // And cannot be accepted by hand either.
  auto forced = review->Decide("P-3", "P-4", Decision::kSame);
  ASSERT_FALSE(forced.ok());
  EXPECT_NE(forced.status().message().find("identity numbers"), std::string::npos);
  auto relatives = review->Decide("P-6", "P-5", Decision::kSame);
  ASSERT_FALSE(relatives.ok());
  EXPECT_NE(relatives.status().message().find("relatives"), std::string::npos);
  // The explanation covers every field.
  auto view = review->Explain("P-2", "P-1");
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->fields.size(), 5u);
  EXPECT_EQ(view->fields[2].field, "birth_date");
  EXPECT_EQ(view->fields[2].level, "exact");
  ASSERT_TRUE(view->probability.has_value());
  EXPECT_GT(*view->probability, 0.5);
}

TEST_F(VaultLinkage, LaterRunsLinkOnlyNewPeopleThroughTheSavedState) {
  Fill();
  auto first = LinkVault(*vault_, {});
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_FALSE(first->from_state);
  EXPECT_EQ(first->new_people, 7u);
  auto queued = [&] {
    auto review = Review::Open(*vault_);
    EXPECT_TRUE(review.ok());
    std::set<std::string> q;
    for (const auto& p : review->queue()->pairs) q.insert(PairKey(p.a, p.b));
    return q;
  };
  const std::set<std::string> before = queued();
  ASSERT_TRUE(before.count("P-1+P-2"));

  // Nothing new: the state is used, nothing is compared, the queue stays.
  auto same = LinkVault(*vault_, {});
  ASSERT_TRUE(same.ok()) << same.status().message();
  EXPECT_TRUE(same->from_state) << same->full_run_reason;
  EXPECT_EQ(same->new_people, 0u);
  EXPECT_EQ(same->comparisons, 0u);
  EXPECT_EQ(queued(), before);

  // One new record of the woman: only it is compared, and it joins the queue beside
  // the pairs of earlier runs.
  ASSERT_TRUE(vault_->Save(Person("P-7", "Qalida Aqytqan", "1975-03-02", "Ghulja")).ok());
  auto second = LinkVault(*vault_, {});
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_TRUE(second->from_state) << second->full_run_reason;
  EXPECT_EQ(second->new_people, 1u);
  EXPECT_EQ(second->people, 8u);
  EXPECT_LE(second->comparisons, 7u);
  const std::set<std::string> after = queued();
  EXPECT_TRUE(after.count("P-1+P-2"));
  EXPECT_TRUE(after.count("P-2+P-7") || after.count("P-1+P-7"));

  // A person changed since: everyone is linked again, and the report says why.
  ASSERT_TRUE(vault_->Save(Person("P-5", "Erkin Yasin", "1981-01-01", "Aksu")).ok());
  auto third = LinkVault(*vault_, {});
  ASSERT_TRUE(third.ok()) << third.status().message();
  EXPECT_FALSE(third->from_state);
  EXPECT_NE(third->full_run_reason.find("changed"), std::string::npos) << third->full_run_reason;
  EXPECT_EQ(third->new_people, 8u);
  EXPECT_TRUE(queued().count("P-1+P-2"));
}

// With what the saved state has seen (the vault's change number), a later run reads
// only the people written since and the sought ones, and adds its changes to the
// state as a delta; it still counts what waits for review as a full read would.
TEST_F(VaultLinkage, LaterRunsReadOnlyWhatChangedSince) {
  Fill();
  auto first = LinkVault(*vault_, {});
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_FALSE(first->changes_only);
  EXPECT_EQ(first->people_read, 7u);
  auto pending_now = [&] {
    auto review = Review::Open(*vault_);
    EXPECT_TRUE(review.ok());
    return review.ok() ? review->PendingCount() : 0;
  };
  EXPECT_EQ(first->pending, pending_now());

  // Nothing new: only the sought person is read.
  auto same = LinkVault(*vault_, {});
  ASSERT_TRUE(same.ok()) << same.status().message();
  EXPECT_TRUE(same->changes_only) << same->full_run_reason;
  EXPECT_EQ(same->people_read, 1u);
  EXPECT_EQ(same->people, 7u);
  EXPECT_EQ(same->pending, pending_now());

  // Two new people in two runs: each run reads the new one (and the sought one), links
  // it against everyone, and appends to the state.
  ASSERT_TRUE(vault_->Save(Person("P-7", "Qalida Aqytqan", "1975-03-02", "Ghulja")).ok());
  auto second = LinkVault(*vault_, {});
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_TRUE(second->changes_only) << second->full_run_reason;
  EXPECT_TRUE(second->from_state);
  EXPECT_TRUE(second->state_appended);
  EXPECT_EQ(second->people_read, 2u);
  EXPECT_EQ(second->new_people, 1u);
  EXPECT_EQ(second->people, 8u);
  EXPECT_EQ(second->pending, pending_now());
  ASSERT_TRUE(vault_->Save(Person("P-8", "Memet Tursun", "1960-04-12", "Kashgar")).ok());
  auto third = LinkVault(*vault_, {});
  ASSERT_TRUE(third.ok()) << third.status().message();
  EXPECT_TRUE(third->changes_only) << third->full_run_reason;
  EXPECT_TRUE(third->state_appended);
  EXPECT_EQ(third->new_people, 1u);
  EXPECT_EQ(third->people, 9u);
  EXPECT_EQ(third->pending, pending_now());
  {
    auto review = Review::Open(*vault_);
    ASSERT_TRUE(review.ok());
    std::set<std::string> q;
    for (const auto& p : review->queue()->pairs) q.insert(PairKey(p.a, p.b));
    EXPECT_TRUE(q.count("P-1+P-2"));
    EXPECT_TRUE(q.count("P-2+P-7") || q.count("P-1+P-7"));
    EXPECT_TRUE(q.count("P-3+P-8") || q.count("P-4+P-8"));
  }
  // A new event about a matched person still reaches the sought person's notice: the
  // records that are not people are all read.
  ASSERT_TRUE(vault_
                  ->Save({"E-3",
                          model::RecordType::kEvent,
                          {{"person", "P-2"}, {"kind", "sentenced"}, {"date", "2020"}}})
                  .ok());
  auto fourth = LinkVault(*vault_, {});
  ASSERT_TRUE(fourth.ok()) << fourth.status().message();
  EXPECT_TRUE(fourth->changes_only);
  EXPECT_EQ(fourth->new_people, 0u);

  // A person changed since the state: seen among the changes, everyone linked again.
  ASSERT_TRUE(vault_->Save(Person("P-5", "Erkin Yasin", "1981-01-01", "Aksu")).ok());
  auto changed = LinkVault(*vault_, {});
  ASSERT_TRUE(changed.ok()) << changed.status().message();
  EXPECT_FALSE(changed->from_state);
  EXPECT_FALSE(changed->changes_only);
  EXPECT_NE(changed->full_run_reason.find("changed"), std::string::npos)
      << changed->full_run_reason;
  EXPECT_EQ(changed->new_people, 9u);
  EXPECT_EQ(changed->pending, pending_now());
}

// What the state says it has seen is checked against the vault: a vault with fewer
// changes (a restored backup) or another vault's id makes the run link everyone.
TEST_F(VaultLinkage, ASavedStateThatDoesNotFitTheVaultIsNotUsed) {
  Fill();
  ASSERT_TRUE(LinkVault(*vault_, {}).ok());
  const std::string state = vault_->has_witness_key() ? "link-state.witness" : "link-state";
  auto seen = vault_->GetSealedSetting(state + ".seen");
  ASSERT_TRUE(seen.ok() && *seen);
  auto j = nlohmann::json::parse(**seen);
  nlohmann::json later = j;
  later["change"] = j["change"].get<int64_t>() + 1000;  // the vault went back in time
  ASSERT_TRUE(vault_->PutSealedSetting(state + ".seen", later.dump()).ok());
  auto restored = LinkVault(*vault_, {});
  ASSERT_TRUE(restored.ok()) << restored.status().message();
  EXPECT_FALSE(restored->from_state);
  EXPECT_NE(restored->full_run_reason.find("backup"), std::string::npos)
      << restored->full_run_reason;
  EXPECT_EQ(restored->new_people, 7u);
  // The run saved a fitting state again; another vault's id is refused too.
  ASSERT_TRUE(LinkVault(*vault_, {})->changes_only);
  seen = vault_->GetSealedSetting(state + ".seen");
  j = nlohmann::json::parse(**seen);
  j["vault"] = "another-vault";
  ASSERT_TRUE(vault_->PutSealedSetting(state + ".seen", j.dump()).ok());
  auto other = LinkVault(*vault_, {});
  ASSERT_TRUE(other.ok()) << other.status().message();
  EXPECT_FALSE(other->from_state);
  EXPECT_NE(other->full_run_reason.find("another vault"), std::string::npos)
      << other->full_run_reason;
  // Damaged deltas: refused with a reason, everyone linked.
  ASSERT_TRUE(vault_->Save(Person("P-7", "Qalida Aqytqan", "1975-03-02", "Ghulja")).ok());
  auto grown = LinkVault(*vault_, {});
  ASSERT_TRUE(grown.ok());
  ASSERT_TRUE(grown->state_appended);
  auto deltas = vault_->GetSealedSetting(state + ".deltas");
  ASSERT_TRUE(deltas.ok() && *deltas && !(*deltas)->empty());
  ASSERT_TRUE(
      vault_->PutSealedSetting(state + ".deltas", (*deltas)->substr(0, (*deltas)->size() - 9))
          .ok());
  auto cut = LinkVault(*vault_, {});
  ASSERT_TRUE(cut.ok()) << cut.status().message();
  EXPECT_FALSE(cut->from_state);
  EXPECT_FALSE(cut->full_run_reason.empty());
  EXPECT_EQ(cut->new_people, 8u);
}

TEST_F(VaultLinkage, AcceptUndoSplitAreVersionsWithWhoAndWhen) {
  Fill();
  ASSERT_TRUE(LinkVault(*vault_, {}).ok());
  auto review = Review::Open(*vault_);
  ASSERT_TRUE(review.ok());
  auto d = review->Decide("P-2", "P-1", Decision::kSame, "same photo");
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(review->clusters().ClusterOf("P-2"), "P-1");
  EXPECT_EQ(review->clusters().ClusterOf("P-1"), "P-1");
  // Two different valid ID numbers: a rejection is a decision like any other.
  ASSERT_TRUE(review->Decide("P-3", "P-4", Decision::kDifferent).ok());
  // The sought person joins the cluster; the cluster keeps its name.
  ASSERT_TRUE(review->Decide("S-1", "P-2", Decision::kSame).ok());
  EXPECT_EQ(review->clusters().ClusterOf("S-1"), "P-1");
  EXPECT_EQ(review->clusters().SizeOf("P-1"), 3u);
  // Undo the latest decision (S-1+P-2), then split P-2 off.
  auto undo = review->Undo();
  ASSERT_TRUE(undo.ok()) << undo.status().message();
  EXPECT_EQ(undo->pair(), "P-2+S-1");
  EXPECT_EQ(undo->decision, Decision::kUndecided);
  EXPECT_EQ(review->clusters().SizeOf("P-1"), 2u);
  auto split = review->Split("P-2");
  ASSERT_TRUE(split.ok()) << split.status().message();
  ASSERT_EQ(split->size(), 1u);
  EXPECT_EQ(review->clusters().SizeOf("P-1"), 1u);
  // Now accepting P-1+P-2 again needs the rejection undone first.
  auto again = review->Decide("P-1", "P-2", Decision::kSame);
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.status().message().find("undo"), std::string::npos);
  // Every decision is a version of the pair's link record, with author and time.
  auto history = vault_->History(d->record_id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].record.doc["decision"], "same");
  EXPECT_EQ((*history)[0].record.doc["notes"], "same photo");
  EXPECT_EQ((*history)[1].record.doc["decision"], "different");
  for (const auto& v : *history) {
    EXPECT_EQ(v.author, "admin");
    EXPECT_GT(v.created_at, 0);
  }
  // A fresh read sees the same state.
  auto reread = Review::Open(*vault_);
  ASSERT_TRUE(reread.ok());
  EXPECT_EQ(reread->clusters().SizeOf("P-1"), 1u);
  EXPECT_EQ(reread->view().DecisionOf("P-1", "P-2")->decision, Decision::kDifferent);
}

TEST_F(VaultLinkage, UnknownPeopleAndBadPairsAreClearErrors) {
  Fill();
  ASSERT_TRUE(LinkVault(*vault_, {}).ok());
  auto review = Review::Open(*vault_);
  ASSERT_TRUE(review.ok());
  auto missing = review->Decide("P-1", "P-99", Decision::kSame);
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
  auto event = review->Decide("P-1", "E-1", Decision::kSame);
  EXPECT_NE(event.status().message().find("not a person"), std::string::npos);
  EXPECT_EQ(review->Undo().status().code(), Status::Code::kNotFound);
  EXPECT_EQ(review->Split("P-1").status().code(), Status::Code::kInvalidInput);
}

TEST_F(VaultLinkage, SoughtPersonRaisesANoticeWithWhatIsNew) {
  Fill();
  auto run = LinkVault(*vault_, {});
  ASSERT_TRUE(run.ok());
  auto review = Review::Open(*vault_);
  ASSERT_TRUE(review.ok());
  // Whether the engine suggests it or a reviewer accepts it, S-1 gets a notice about P-2.
  ASSERT_TRUE(review->Decide("S-1", "P-2", Decision::kSame).ok());
  run = LinkVault(*vault_, {});
  ASSERT_TRUE(run.ok());
  auto view = VaultView::Read(*vault_);
  ASSERT_TRUE(view.ok());
  auto notices = AllNotices(*view);
  const Notice* about_p2 = nullptr;
  for (const auto& n : notices)
    if (n.sought == "S-1" && n.person == "P-2") about_p2 = &n;
  ASSERT_NE(about_p2, nullptr);
  // The first run suggested P-2 and named P-2 and E-1 as new; the second says that a
  // reviewer has confirmed it.
  EXPECT_TRUE(about_p2->accepted);
  EXPECT_EQ(about_p2->status, "open");
  EXPECT_TRUE(about_p2->new_records.empty());
  EXPECT_EQ(about_p2->reported, (std::vector<std::string>{"E-1", "P-2"}));
  EXPECT_EQ(about_p2->version, 2);
  const std::string notice_id = about_p2->record_id;
  // Nothing new: no new version. A new event: a new version naming only it.
  ASSERT_TRUE(MarkSeen(*vault_, *view, notice_id).ok());
  ASSERT_TRUE(LinkVault(*vault_, {}).ok());
  ASSERT_EQ(vault_->History(notice_id)->size(), 3u);
  ASSERT_TRUE(vault_
                  ->Save({"E-2",
                          model::RecordType::kEvent,
                          {{"person", "P-2"}, {"kind", "sentenced"}, {"date", "2019"}}})
                  .ok());
  ASSERT_TRUE(LinkVault(*vault_, {}).ok());
  auto latest = vault_->Get(notice_id);
  ASSERT_TRUE(latest.ok());
  auto n = NoticeFromVersion(*latest);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->new_records, (std::vector<std::string>{"E-2"}));
  EXPECT_EQ(n->status, "open");
  EXPECT_EQ(n->version, 4);
}

// A review kept open between requests (the web application keeps one) sees a notice
// it marked as seen at once, without reading the vault again.
TEST_F(VaultLinkage, AReviewKeptOpenSeesTheNoticeItMarkedSeen) {
  Fill();
  auto review = Review::Open(*vault_);
  ASSERT_TRUE(review.ok());
  ASSERT_TRUE(review->Decide("S-1", "P-2", Decision::kSame).ok());
  ASSERT_TRUE(LinkVault(*vault_, {}).ok());
  review = Review::Open(*vault_);
  ASSERT_TRUE(review.ok());
  auto open = AllNotices(review->view());
  ASSERT_FALSE(open.empty());
  ASSERT_EQ(open.front().status, "open");
  const std::string id = open.front().record_id;
  auto seen = review->MarkNoticeSeen(id);
  ASSERT_TRUE(seen.ok()) << seen.status().message();
  EXPECT_EQ(seen->status, "seen");
  for (const auto& n : AllNotices(review->view())) {
    if (n.record_id == id) {
      EXPECT_EQ(n.status, "seen");
    }
  }
  EXPECT_EQ(review->view().records.at(id).version, vault_->Get(id)->version);
  // Marking it again writes nothing.
  const int64_t versions = vault_->History(id)->size();
  ASSERT_TRUE(review->MarkNoticeSeen(id).ok());
  EXPECT_EQ(static_cast<int64_t>(vault_->History(id)->size()), versions);
  EXPECT_EQ(review->MarkNoticeSeen("P-1").status().code(), Status::Code::kNotFound);
}

std::u16string Utf16(const std::string& s) {
  std::u16string out;
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(s);
  for (int i = 0; i < u.length(); ++i) out += static_cast<char16_t>(u.charAt(i));
  return out;
}

// The review queue is scored whole only when what scored it changed (a decision, a
// relation, a decision naming a new person); a run that only adds people scores their
// pairs and appends them as a part, leaving the base as it was. The pending count is
// kept from run to run and always equals what a review counts.
TEST_F(VaultLinkage, TheQueueIsRescoredOnlyWhenDecisionsChangeAndPendingStaysExact) {
  Fill();
  const std::string state = vault_->has_witness_key() ? "link-state.witness" : "link-state";
  auto pending_now = [&] {
    auto review = Review::Open(*vault_);
    EXPECT_TRUE(review.ok()) << review.status().message();
    return review.ok() ? review->PendingCount() : 0;
  };
  auto setting = [&](const std::string& name) {
    auto s = vault_->GetSealedSetting(name);
    return s.ok() && *s ? **s : std::string();
  };
  auto first = LinkVault(*vault_, {});
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_TRUE(first->queue_rescored);
  EXPECT_EQ(first->queue_reason, "no review queue yet");
  EXPECT_EQ(first->pending, pending_now());
  const std::string base = setting(QueueBaseSetting(state));
  ASSERT_FALSE(base.empty());

  // New people, nothing decided: only their pairs are scored, appended as a part.
  ASSERT_TRUE(vault_->Save(Person("P-7", "Qalida Aqytqan", "1975-03-02", "Ghulja")).ok());
  auto grown = LinkVault(*vault_, {});
  ASSERT_TRUE(grown.ok()) << grown.status().message();
  EXPECT_FALSE(grown->queue_rescored) << grown->queue_reason;
  EXPECT_GE(grown->queue_appended, 1u);
  EXPECT_EQ(grown->queued, first->queued + grown->queue_appended);
  EXPECT_EQ(setting(QueueBaseSetting(state)), base);  // the base is not written again
  EXPECT_FALSE(setting(QueuePartsSetting(state)).empty());
  EXPECT_EQ(grown->pending, pending_now());
  {
    auto review = Review::Open(*vault_);
    ASSERT_TRUE(review.ok());
    std::set<std::string> q;
    for (const auto& p : review->queue()->pairs) q.insert(PairKey(p.a, p.b));
    EXPECT_TRUE(q.count("P-1+P-2"));                        // from the base
    EXPECT_TRUE(q.count("P-2+P-7") || q.count("P-1+P-7"));  // from the part
    EXPECT_EQ(review->queue()->pairs.size(), grown->queued);
  }

  // A decision: the model and the clusters change, every pair is scored again.
  {
    auto review = Review::Open(*vault_);
    ASSERT_TRUE(review.ok());
    ASSERT_TRUE(review->Decide("P-1", "P-2", Decision::kSame).ok());
  }
  auto decided = LinkVault(*vault_, {});
  ASSERT_TRUE(decided.ok()) << decided.status().message();
  EXPECT_TRUE(decided->queue_rescored);
  EXPECT_NE(decided->queue_reason.find("decisions"), std::string::npos) << decided->queue_reason;
  EXPECT_EQ(decided->decisions_used, 1u);
  EXPECT_EQ(decided->pending, pending_now());
  EXPECT_NE(setting(QueueBaseSetting(state)), base);

  // More people after the decision: appended again, and the count still exact (P-8 waits
  // beside the cluster P-1 + P-2).
  ASSERT_TRUE(vault_->Save(Person("P-8", "Qalida Akytkhan", "1975-03-02", "Ghulja")).ok());
  ASSERT_TRUE(vault_->Save(Person("P-9", "Memet Tursun", "1960-04-12", "Kashgar")).ok());
  auto more = LinkVault(*vault_, {});
  ASSERT_TRUE(more.ok()) << more.status().message();
  EXPECT_FALSE(more->queue_rescored) << more->queue_reason;
  EXPECT_GE(more->queue_appended, 1u);
  EXPECT_EQ(more->pending, pending_now());

  // Undo and split are decisions too; across runs the review still works on the queue.
  {
    auto review = Review::Open(*vault_);
    ASSERT_TRUE(review.ok());
    ASSERT_TRUE(review->Decide("P-2", "P-8", Decision::kSame).ok());
    ASSERT_TRUE(review->Undo().ok());
    ASSERT_TRUE(review->Split("P-1").ok());
  }
  auto undone = LinkVault(*vault_, {});
  ASSERT_TRUE(undone.ok());
  EXPECT_TRUE(undone->queue_rescored);
  EXPECT_EQ(undone->pending, pending_now());
  // Nothing changed: nothing scored, the queue as it was.
  const std::string head = setting(QueueHeadSetting(state));
  auto idle = LinkVault(*vault_, {});
  ASSERT_TRUE(idle.ok());
  EXPECT_FALSE(idle->queue_rescored) << idle->queue_reason;
  EXPECT_EQ(idle->queue_appended, 0u);
  EXPECT_EQ(idle->pending, pending_now());
  EXPECT_EQ(setting(QueueHeadSetting(state)), head);

  // A relation between two people linked before holds them apart: scored again.
  ASSERT_TRUE(vault_
                  ->Save({"R-2",
                          model::RecordType::kRelation,
                          {{"from", "P-3"}, {"to", "P-9"}, {"kind", "parent"}}})
                  .ok());
  auto related = LinkVault(*vault_, {});
  ASSERT_TRUE(related.ok());
  EXPECT_TRUE(related->queue_rescored);
  EXPECT_EQ(related->pending, pending_now());

  // A decision naming someone not linked yet: scored again when they are.
  ASSERT_TRUE(vault_->Save(Person("P-10", "Erkin Yasin", "1980-01-01", "Aksu")).ok());
  {
    auto review = Review::Open(*vault_);
    ASSERT_TRUE(review.ok());
    ASSERT_TRUE(review->Decide("P-10", "P-5", Decision::kSame).ok());
  }
  auto named = LinkVault(*vault_, {});
  ASSERT_TRUE(named.ok());
  EXPECT_TRUE(named->queue_rescored);
  EXPECT_NE(named->queue_reason.find("first time"), std::string::npos) << named->queue_reason;
  EXPECT_EQ(named->pending, pending_now());
}

// A damaged or missing queue is refused by the review with what to do, and rebuilt by
// the next run (or by --rebuild-queue when the run would only append to it).
TEST_F(VaultLinkage, ADamagedQueueIsRefusedClearlyAndRebuilt) {
  Fill();
  const std::string state = vault_->has_witness_key() ? "link-state.witness" : "link-state";
  ASSERT_TRUE(LinkVault(*vault_, {}).ok());
  // The head garbled: the review refuses, the next run scores everything.
  ASSERT_TRUE(vault_->PutSealedSetting(QueueHeadSetting(state), "{not json").ok());
  auto refused = Review::Open(*vault_);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), Status::Code::kCorrupt);
  EXPECT_NE(refused.status().message().find("izde link"), std::string::npos);
  auto rebuilt = LinkVault(*vault_, {});
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status().message();
  EXPECT_TRUE(rebuilt->queue_rescored);
  EXPECT_NE(rebuilt->queue_reason.find("head"), std::string::npos) << rebuilt->queue_reason;
  ASSERT_TRUE(Review::Open(*vault_).ok());

  // The base cut short: refused with the advice; an appending run does not read the base,
  // --rebuild-queue writes it whole.
  auto base = vault_->GetSealedSetting(QueueBaseSetting(state));
  ASSERT_TRUE(base.ok() && *base);
  ASSERT_TRUE(
      vault_->PutSealedSetting(QueueBaseSetting(state), (*base)->substr(0, (*base)->size() - 3))
          .ok());
  refused = Review::Open(*vault_);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("--rebuild-queue"), std::string::npos)
      << refused.status().message();
  LinkRunOptions o;
  o.rebuild_queue = true;
  auto forced = LinkVault(*vault_, o);
  ASSERT_TRUE(forced.ok());
  EXPECT_TRUE(forced->queue_rescored);
  auto review = Review::Open(*vault_);
  ASSERT_TRUE(review.ok()) << review.status().message();
  EXPECT_EQ(review->PendingCount(), forced->pending);

  ASSERT_TRUE(vault_->Save(Person("P-7", "Qalida Aqytqan", "1975-03-02", "Ghulja")).ok());
  ASSERT_TRUE(LinkVault(*vault_, {}).ok());
  auto parts = vault_->GetSealedSetting(QueuePartsSetting(state));
  ASSERT_TRUE(parts.ok() && *parts && !(*parts)->empty());
  // Parts damaged: refused by the review; the next run with new people writes it whole.
  ASSERT_TRUE(
      vault_->PutSealedSetting(QueuePartsSetting(state), (*parts)->substr(0, (*parts)->size() - 9))
          .ok());
  EXPECT_FALSE(Review::Open(*vault_).ok());
  ASSERT_TRUE(vault_->Save(Person("P-8", "Qalida Akytkhan", "1975-03-02", "Ghulja")).ok());
  auto whole = LinkVault(*vault_, {});
  ASSERT_TRUE(whole.ok());
  EXPECT_TRUE(whole->queue_rescored);
  EXPECT_NE(whole->queue_reason.find("parts"), std::string::npos) << whole->queue_reason;
  review = Review::Open(*vault_);
  ASSERT_TRUE(review.ok()) << review.status().message();
  EXPECT_EQ(review->PendingCount(), whole->pending);
}

// A vault from before keeps its queue in a `link_queue` record: read as it is, then moved
// into settings by the next run, which leaves the record empty and marked as moved.
TEST_F(VaultLinkage, AnOldQueueRecordIsReadThenMoved) {
  Fill();
  ReviewQueueRecord old;
  old.fields = {"name", "gender", "birth_date", "hometown", "id_number"};
  old.weights.assign(5, std::vector<double>(4, 1.0));
  old.pairs.push_back({"P-1", "P-2", 0.9, {3, 0, 3, 2, 0}});
  ASSERT_TRUE(vault_->Save(ToRecord(old)).ok());
  {
    auto review = Review::Open(*vault_);
    ASSERT_TRUE(review.ok()) << review.status().message();
    ASSERT_TRUE(review->queue().has_value());
    ASSERT_EQ(review->queue()->pairs.size(), 1u);
    EXPECT_EQ(review->PendingCount(), 1u);
  }
  auto run = LinkVault(*vault_, {});
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_TRUE(run->queue_rescored);
  EXPECT_NE(run->queue_reason.find("moves"), std::string::npos) << run->queue_reason;
  auto record = vault_->Get(kQueueRecordId);
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(record->version, 2);
  EXPECT_TRUE(IsMovedQueue(*record));
  auto review = Review::Open(*vault_);
  ASSERT_TRUE(review.ok()) << review.status().message();
  EXPECT_EQ(review->PendingCount(), run->pending);
  EXPECT_EQ(review->queue()->pairs.size(), run->queued);
  // Later runs leave the record alone.
  ASSERT_TRUE(LinkVault(*vault_, {}).ok());
  EXPECT_EQ(vault_->Get(kQueueRecordId)->version, 2);
}

// THREATS.md P1: the queue, the decisions and the notices are sealed like records.
TEST_F(VaultLinkage, NoNameReachesTheDisk) {
  Fill();
  ASSERT_TRUE(LinkVault(*vault_, {}).ok());
  auto review = Review::Open(*vault_);
  ASSERT_TRUE(review.ok());
  ASSERT_TRUE(review->Decide("P-1", "P-2", Decision::kSame, "canary reviewer note").ok());
  ASSERT_TRUE(review->Decide("S-1", "P-2", Decision::kSame).ok());
  ASSERT_TRUE(LinkVault(*vault_, {}).ok());
  const std::vector<std::string> canaries = {
      "Қалида Ақытхан",       "Qalida Akytkhan", "Memet Tursun", "Kalida Akytkan",
      "canary reviewer note", "Akytkhan",        "qalida"};
  for (int pass = 0; pass < 2; ++pass) {
    for (const auto& entry : fs::recursive_directory_iterator(dir_ / "v")) {
      if (!entry.is_regular_file()) continue;
      std::ifstream f(entry.path(), std::ios::binary);
      std::string bytes(std::istreambuf_iterator<char>(f), {});
      std::u16string wide[2];
      for (size_t a = 0; a < 2 && bytes.size() > a;
           ++a) {  // memcpy: bytes.data() + 1 is not aligned for char16_t
        wide[a].resize((bytes.size() - a) / 2);
        std::memcpy(wide[a].data(), bytes.data() + a, wide[a].size() * sizeof(char16_t));
      }
      for (const auto& c : canaries) {
        EXPECT_EQ(bytes.find(c), std::string::npos) << c << " in " << entry.path();
        for (const auto& w : wide)
          EXPECT_EQ(w.find(Utf16(c)), std::u16string::npos) << c << " in " << entry.path();
      }
    }
    if (pass == 0) vault_->Lock();
  }
}

}  // namespace
}  // namespace izde::identity
