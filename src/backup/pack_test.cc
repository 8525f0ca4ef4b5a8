#include "backup/pack.h"

#include <gtest/gtest.h>

#include "backup/snapshot.h"

namespace izde::backup {
namespace {

TEST(Pack, VersionsRoundTripAndTruncationIsNamed) {
  std::vector<store::StoredVersion> in(3);
  for (int i = 0; i < 3; ++i) {
    in[i].record_id = "P-" + std::to_string(i);
    in[i].type = "person";
    in[i].version = i + 1;
    in[i].created_at = 1700000000 + i;
    in[i].tier = "record";
    in[i].wrapped_key = store::Bytes(40, static_cast<uint8_t>(i));
    in[i].sealed = store::Bytes(100 + i, 7);
  }
  std::string bytes = EncodeVersions(in);
  auto out = DecodeVersions(bytes, "pack");
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(out->size(), 3u);
  EXPECT_EQ((*out)[2].record_id, "P-2");
  EXPECT_EQ((*out)[2].sealed, in[2].sealed);
  EXPECT_EQ((*out)[1].created_at, in[1].created_at);
  for (size_t cut = 0; cut < bytes.size(); cut += 13) {
    auto bad = DecodeVersions(bytes.substr(0, cut), "versions pack 4");
    ASSERT_FALSE(bad.ok()) << cut;
    EXPECT_EQ(bad.status().code(), Status::Code::kCorrupt);
    EXPECT_EQ(bad.status().message().rfind("versions pack 4", 0), 0u);
  }
  EXPECT_FALSE(DecodeVersions(bytes + "x", "pack").ok());
}

TEST(Pack, KeysRoundTrip) {
  KeysPack k;
  store::KeySlot s;
  s.user = "admin";
  s.salt = store::Bytes(16, 1);
  s.opslimit = 3;
  s.memlimit = 1 << 20;
  s.wrapped_master = store::Bytes(72, 2);
  k.slots.push_back(s);
  k.settings["vault_id"] = {'a', 'b'};
  auto out = DecodeKeys(EncodeKeys(k), "keys");
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->slots[0].user, "admin");
  EXPECT_EQ(out->slots[0].wrapped_master, s.wrapped_master);
  EXPECT_TRUE(out->slots[0].wrapped_witness.empty());
  EXPECT_EQ(out->settings["vault_id"], k.settings["vault_id"]);
}

TEST(Manifest, RefusesPathsOutsideTheVault) {
  Manifest m;
  m.origin = "izde.vault/x";
  m.verifier = "k";
  m.keys = std::string(64, 'a');
  m.log_root_hex = "00";
  m.files.push_back({"log/checkpoint", 3, 1, {std::string(64, 'b')}});
  ASSERT_TRUE(Manifest::Parse(m.Encode(), "m").ok());
  for (const char* p : {"../etc/passwd", "/etc/passwd", "log/../../x", "log//x"}) {
    m.files[0].path = p;
    EXPECT_FALSE(Manifest::Parse(m.Encode(), "m").ok()) << p;
  }
}

}  // namespace
}  // namespace izde::backup
