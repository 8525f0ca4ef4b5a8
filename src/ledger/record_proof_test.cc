#include "ledger/record_proof.h"

#include <gtest/gtest.h>

#include "ledger/cosignature.h"
#include "ledger/record_leaf.h"

namespace izde::ledger {
namespace {

namespace fs = std::filesystem;
constexpr char kOrigin[] = "izde.example/proof-test";

class RecordProofTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("izde-proof-test-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    Log log = std::move(Log::Create(dir_)).value();
    for (int i = 0; i < 37; ++i) {
      std::vector<FieldOpening> f = {{"name", "Synthetic " + std::to_string(i), NewSalt()},
                                     {"witness", "HIDDEN-CANARY-" + std::to_string(i), NewSalt()}};
      auto leaf = *RecordLeaf::Build("rec-" + std::to_string(i), "person", 1, Hash{}, f);
      if (i == 20) {
        fields_ = f;
        leaf_ = leaf;
      }
      ASSERT_TRUE(log.Append(leaf.Encode()).ok());
    }
    ASSERT_TRUE(log.Commit().ok());
    std::string note = *SignCheckpoint(Checkpoint{kOrigin, 37, log.Root(), {}}, log_key_);
    CosignRequest req{note, log_key_.verifier(), std::nullopt, {}, 1700000000};
    NoteSignature cosig = *Cosign(req, witness_);
    note = *AddSignatures(note, std::span(&cosig, 1));
    proof_ = *ProveEntry(log, 20, note);
    policy_ = CheckpointPolicy{log_key_.verifier(), "", {witness_.verifier()}, 1};
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
  NoteSigner log_key_ = std::move(NoteSigner::Generate(kOrigin)).value();
  NoteSigner witness_ =
      std::move(NoteSigner::Generate("partner.example/w", KeyType::kCosignatureV1)).value();
  std::vector<FieldOpening> fields_;
  RecordLeaf leaf_;
  RecordProof proof_;
  CheckpointPolicy policy_;
};

TEST_F(RecordProofTest, RoundTripsAndVerifiesWithOnlyPublicKeys) {
  std::string text = proof_.Format();
  EXPECT_EQ(text.substr(0, 23), "c2sp.org/tlog-proof@v1\n");
  auto parsed = RecordProof::Parse(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->Format(), text);
  auto v = VerifyRecordProof(*parsed, policy_);
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(v->checkpoint.size, 37u);

  // The record itself, redacted: only "name" is revealed.
  auto leaf = RecordLeaf::Parse(parsed->entry);
  ASSERT_TRUE(leaf.ok());
  std::vector<std::string> publish = {"name"};
  RedactedRecord r = Redact(*leaf, fields_, publish);
  EXPECT_EQ(*VerifyRedactedRecord(r), HashLeaf(parsed->entry));
  EXPECT_EQ(text.find("HIDDEN-CANARY"), std::string::npos);
}

TEST_F(RecordProofTest, ABodyLeavesTheCheckpointToTheBundle) {
  const std::string body = proof_.FormatBody();
  EXPECT_EQ(proof_.Format(), body + "\n" + proof_.checkpoint);
  EXPECT_EQ(body.find(kOrigin), std::string::npos);
  auto parsed = RecordProof::ParseBody(body);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->index, 20u);
  EXPECT_EQ(parsed->entry, proof_.entry);
  EXPECT_EQ(parsed->inclusion, proof_.inclusion);
  EXPECT_TRUE(parsed->checkpoint.empty());
  // A body carrying a checkpoint after all, or cut mid-line, is refused.
  EXPECT_FALSE(RecordProof::ParseBody(proof_.Format()).ok());
  EXPECT_FALSE(RecordProof::ParseBody(body.substr(0, body.size() - 1)).ok());
  EXPECT_FALSE(RecordProof::Parse(body).ok());

  // Many proofs at once are the proofs one at a time.
  Log log = std::move(Log::Open(dir_)).value();
  auto many = ProveEntries(log, {36, 0, 20, 20, 5}, proof_.checkpoint);
  ASSERT_TRUE(many.ok()) << many.status().message();
  ASSERT_EQ(many->size(), 5u);
  for (size_t i = 0; i < many->size(); ++i) {
    const std::uint64_t index = std::vector<std::uint64_t>{36, 0, 20, 20, 5}[i];
    auto one = ProveEntry(log, index, proof_.checkpoint);
    ASSERT_TRUE(one.ok());
    EXPECT_EQ((*many)[i].FormatBody(), one->FormatBody()) << index;
  }
  EXPECT_FALSE(ProveEntries(log, {37}, proof_.checkpoint).ok());
}

TEST_F(RecordProofTest, FlippingAnyByteFailsWithAReason) {
  const std::string good = proof_.Format();
  for (std::size_t i = 0; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0x02);
    auto parsed = RecordProof::Parse(bad);
    if (!parsed.ok()) {
      EXPECT_FALSE(parsed.status().message().empty());
      continue;
    }
    auto v = VerifyRecordProof(*parsed, policy_);
    ASSERT_FALSE(v.ok()) << "byte " << i << " ('" << good[i] << "')";
    EXPECT_FALSE(v.status().message().empty());
  }
}

TEST_F(RecordProofTest, WrongIndexOrMissingCosignerIsNamed) {
  RecordProof p = proof_;
  p.index = 21;
  auto v = VerifyRecordProof(p, policy_);
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.status().message().find("entry 21"), std::string::npos) << v.status().message();
  CheckpointPolicy two = policy_;
  two.required_cosignatures = 2;
  auto c = VerifyRecordProof(proof_, two);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("cosignatures"), std::string::npos);
}

}  // namespace
}  // namespace izde::ledger
