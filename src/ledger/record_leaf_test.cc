#include "ledger/record_leaf.h"

#include <gtest/gtest.h>

#include "ledger/evidence_leaf.h"

namespace izde::ledger {
namespace {

// Synthetic person; no real data.
std::vector<FieldOpening> Fields() {
  return {{"name", "Synthetic Person Canary", NewSalt()},
          {"birth_year", "1975", NewSalt()},
          {"camp", "Facility 7 (synthetic)", NewSalt()},
          {"witness", "HIDDEN-WITNESS-CANARY", NewSalt()}};
}

TEST(RecordLeaf, EncodesParsesAndHashesStably) {
  auto fields = Fields();
  auto leaf = RecordLeaf::Build("rec-0001", "person", 1, Hash{}, fields);
  ASSERT_TRUE(leaf.ok()) << leaf.status().message();
  auto bytes = leaf->Encode();
  EXPECT_EQ(bytes.size(), 1 + 2 + 8 + 2 + 6 + 8 + 32 + 2 + 4 * 32u);
  auto back = RecordLeaf::Parse(bytes);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->LeafHash(), leaf->LeafHash());
  std::string raw(bytes.begin(), bytes.end());
  EXPECT_EQ(raw.find("Canary"), std::string::npos);
  EXPECT_EQ(raw.find("name"), std::string::npos);  // field names are inside commitments too
}

TEST(RecordLeaf, CommitmentIsLengthPrefixedAndSalted) {
  Salt s = NewSalt();
  EXPECT_NE(FieldCommitment({"ab", "c", s}), FieldCommitment({"a", "bc", s}));
  EXPECT_NE(FieldCommitment({"name", "X", s}), FieldCommitment({"name", "X", NewSalt()}));
  // A fixed known answer so an independent verifier can check its implementation.
  Salt zero{};
  EXPECT_EQ(
      HexOf(FieldCommitment({"name", "Aigerim", zero})),
      HexOf(Sha256Of(std::string(32, '\0') + std::string("\0\0\0\4name\0\0\0\7Aigerim", 19))));
}

TEST(RecordLeaf, VersionChainRules) {
  auto fields = Fields();
  auto v1 = *RecordLeaf::Build("rec-1", "person", 1, Hash{}, fields);
  EXPECT_TRUE(RecordLeaf::Build("rec-1", "person", 2, v1.LeafHash(), fields).ok());
  EXPECT_FALSE(RecordLeaf::Build("rec-1", "person", 2, Hash{}, fields).ok());
  EXPECT_FALSE(RecordLeaf::Build("rec-1", "person", 1, v1.LeafHash(), fields).ok());
  EXPECT_FALSE(RecordLeaf::Build("rec-1", "person", 0, Hash{}, fields).ok());
  EXPECT_FALSE(RecordLeaf::Build("", "person", 1, Hash{}, fields).ok());
  fields.push_back(fields[0]);
  EXPECT_FALSE(RecordLeaf::Build("rec-1", "person", 1, Hash{}, fields).ok());
}

TEST(RecordLeaf, RedactedRecordVerifiesAndTamperingIsNamed) {
  auto fields = Fields();
  auto leaf = *RecordLeaf::Build("rec-0002", "person", 1, Hash{}, fields);
  std::vector<std::string> publish = {"name", "camp"};
  RedactedRecord r = Redact(leaf, fields, publish);
  ASSERT_EQ(r.revealed.size(), 2u);
  auto h = VerifyRedactedRecord(r);
  ASSERT_TRUE(h.ok()) << h.status().message();
  EXPECT_EQ(*h, leaf.LeafHash());

  RedactedRecord changed = r;
  changed.revealed[1].value = "Facility 8 (synthetic)";
  auto bad = VerifyRedactedRecord(changed);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("record rec-0002 version 1, field 'camp'"),
            std::string::npos)
      << bad.status().message();

  RedactedRecord resalted = r;
  resalted.revealed[0].salt[0] ^= 1;
  EXPECT_FALSE(VerifyRedactedRecord(resalted).ok());

  RedactedRecord dropped = r;
  dropped.leaf.commitments.pop_back();
  auto d = VerifyRedactedRecord(dropped);
  EXPECT_TRUE(!d.ok() || *d != leaf.LeafHash());
}

TEST(RecordLeaf, ParserRejectsEveryTruncationAndTrailingByte) {
  auto fields = Fields();
  auto bytes = RecordLeaf::Build("rec-3", "person", 1, Hash{}, fields)->Encode();
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_FALSE(RecordLeaf::Parse(Bytes(bytes.data(), n)).ok()) << n;
  }
  bytes.push_back(0);
  EXPECT_FALSE(RecordLeaf::Parse(bytes).ok());
}

TEST(EvidenceLeaf, CommitsToTheOriginalBytes) {
  std::string video = "synthetic video bytes";
  auto leaf = EvidenceLeaf::ForContent("ev-1", AsBytes(video));
  ASSERT_TRUE(leaf.ok());
  auto back = EvidenceLeaf::Parse(leaf->Encode());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->LeafHash(), leaf->LeafHash());
  EXPECT_TRUE(leaf->Matches(AsBytes(video)).ok());
  std::string edited = video;
  edited[3] ^= 1;
  auto m = leaf->Matches(AsBytes(edited));
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.message().find("ev-1"), std::string::npos);
  EXPECT_FALSE(leaf->Matches(AsBytes(video + "x")).ok());
  EXPECT_FALSE(RecordLeaf::Parse(leaf->Encode()).ok());
  EXPECT_NE(leaf->LeafHash(), HashLeaf(AsBytes(video)));
}

}  // namespace
}  // namespace izde::ledger
