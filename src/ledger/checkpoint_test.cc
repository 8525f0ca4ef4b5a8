#include "ledger/checkpoint.h"

#include <gtest/gtest.h>

#include "ledger/cosignature.h"
#include "ledger/merkle_tree.h"

namespace izde::ledger {
namespace {

constexpr char kOrigin[] = "izde.example/test-log";

NoteSigner Key(const std::string& name, KeyType type = KeyType::kEd25519) {
  return std::move(NoteSigner::Generate(name, type)).value();
}

class CheckpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* w : {"almaty.example/w", "berlin.example/w", "toronto.example/w"}) {
      witnesses_.push_back(Key(w, KeyType::kCosignatureV1));
    }
    for (int i = 0; i < 20; ++i) tree_.Append(HashLeaf(AsBytes("entry " + std::to_string(i))));
  }
  Checkpoint At(std::uint64_t size) {
    return Checkpoint{kOrigin, size, tree_.RootAt(size).value(), {}};
  }
  CheckpointPolicy Policy(std::size_t required = 0) {
    CheckpointPolicy p{log_.verifier(), "", {}, required};
    for (const NoteSigner& w : witnesses_) p.cosigners.push_back(w.verifier());
    return p;
  }
  std::string Cosigned(std::uint64_t size, int witnesses) {
    std::string note = *SignCheckpoint(At(size), log_);
    std::vector<NoteSignature> sigs;
    for (int i = 0; i < witnesses; ++i) {
      CosignRequest r{note, log_.verifier(), std::nullopt, {}, 1700000000u + i};
      sigs.push_back(*Cosign(r, witnesses_[i]));
    }
    return *AddSignatures(note, sigs);
  }

  MerkleTree tree_;
  NoteSigner log_ = Key(kOrigin);
  std::vector<NoteSigner> witnesses_;
};

TEST_F(CheckpointTest, BodyHasTheSpecifiedShape) {
  Checkpoint c = At(20);
  c.extensions = {"ext one"};
  std::string body = c.Body();
  EXPECT_EQ(body.substr(0, std::string(kOrigin).size() + 4), std::string(kOrigin) + "\n20\n");
  auto back = Checkpoint::ParseBody(body);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->root, c.root);
  EXPECT_EQ(back->extensions, c.extensions);
}

TEST_F(CheckpointTest, SignedByTheLogVerifies) {
  std::string note = *SignCheckpoint(At(7), log_);
  auto v = VerifyCheckpoint(note, Policy());
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(v->checkpoint.size, 7u);
  EXPECT_EQ(v->checkpoint.root, tree_.RootAt(7).value());
}

TEST_F(CheckpointTest, RejectsMalformedBodies) {
  for (const char* body :
       {"o\n", "o\n01\nAAAA\n", "o\n1\nAAAA\n", "\n1\n", "o\n-1\nx\n",
        "o\n18446744073709551616\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n",
        "o\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n\next\n"}) {
    EXPECT_FALSE(Checkpoint::ParseBody(body).ok()) << body;
  }
  EXPECT_TRUE(Checkpoint::ParseBody("o\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n").ok());
}

TEST_F(CheckpointTest, WrongOriginOrWrongKeyIsNamed) {
  NoteSigner other = Key(kOrigin);
  std::string note = *SignCheckpoint(At(3), other);
  auto v = VerifyCheckpoint(note, Policy());
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.status().message().find("not signed by any trusted key"), std::string::npos);
  Checkpoint c = At(3);
  c.origin = "elsewhere.example/log";
  auto v2 = VerifyCheckpoint(*SignCheckpoint(c, log_), Policy());
  ASSERT_FALSE(v2.ok());
  EXPECT_NE(v2.status().message().find("elsewhere.example/log"), std::string::npos);
}

TEST_F(CheckpointTest, RequiresKCosignaturesFromNamedPartners) {
  std::string two = Cosigned(12, 2);
  EXPECT_TRUE(VerifyCheckpoint(two, Policy(2)).ok());
  auto v = VerifyCheckpoint(two, Policy(3));
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.status().message().find("2 valid cosignatures"), std::string::npos);
  auto ok = VerifyCheckpoint(two, Policy(1));
  ASSERT_TRUE(ok.ok());
  ASSERT_EQ(ok->cosignatures.size(), 2u);
  EXPECT_EQ(*ok->cosignatures[1].timestamp, 1700000001u);
  // A cosignature from a partner the verifier does not name does not count.
  CheckpointPolicy only_third = Policy(1);
  only_third.cosigners = {witnesses_[2].verifier()};
  EXPECT_FALSE(VerifyCheckpoint(two, only_third).ok());
}

TEST_F(CheckpointTest, CosignerChecksConsistencyWithWhatItSawLast) {
  std::string old_note = *SignCheckpoint(At(5), log_);
  std::string new_note = *SignCheckpoint(At(17), log_);
  auto proof = *tree_.ConsistencyProof(5, 17);
  CosignRequest r{new_note, log_.verifier(), At(5), proof, 1700000100};
  EXPECT_TRUE(Cosign(r, witnesses_[0]).ok());

  // A fork: the partner saw a different size-5 tree.
  Checkpoint forked = At(5);
  forked.root[0] ^= 1;
  r.last_cosigned = forked;
  auto refused = Cosign(r, witnesses_[0]);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("refusing to cosign"), std::string::npos);

  // A rollback to a smaller tree.
  CosignRequest back{old_note, log_.verifier(), At(17), {}, 1700000200};
  auto rb = Cosign(back, witnesses_[0]);
  ASSERT_FALSE(rb.ok());
  EXPECT_NE(rb.status().message().find("rolled back"), std::string::npos);

  // A plain note key cannot cosign.
  EXPECT_FALSE(Cosign(r, log_).ok());
}

TEST_F(CheckpointTest, FlippingAnyByteFailsWithAReason) {
  std::string good = Cosigned(9, 2);
  ASSERT_TRUE(VerifyCheckpoint(good, Policy(2)).ok());
  for (std::size_t i = 0; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0x04);
    auto v = VerifyCheckpoint(bad, Policy(2));
    ASSERT_FALSE(v.ok()) << "byte " << i;
    EXPECT_GT(v.status().message().size(), 10u);
  }
}

}  // namespace
}  // namespace izde::ledger
