// THREATS.md P5: a public bundle verifies with nothing but itself and the log's public
// key, and no value that consent withholds appears anywhere in its bytes.
#include "vault/publication.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "ledger/base64.h"
#include "ledger/test_tsa.h"
#include "vault/test_vault_dir.h"

namespace izde::vault {
namespace {

namespace fs = std::filesystem;
constexpr const char* kPass = "correct horse battery staple";

std::string Slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

ledger::CheckpointPolicy Policy(const std::string& key_text) {
  auto key = ledger::NoteVerifier::Parse(key_text);
  EXPECT_TRUE(key.ok()) << key.status().message();
  return ledger::CheckpointPolicy{*key, "", {}, 0};
}

TEST(Publication, BundleVerifiesAloneAndHoldsNoRedactedCanary) {
  TestDir dir;
  const std::vector<std::string> hidden = {
      "Hidden Canarybek", "hidden notes canary", "WITNESS-CANARY-CONTACT",
      "unconsented transcript canary", "NO-CONSENT-PERSON-CANARY"};
  VaultOptions o;
  o.kdf = KdfCost::kTestOnlyMinimum;
  ASSERT_TRUE(Vault::Create(dir / "v", "admin", kPass, o).ok());
  {
    auto v = Vault::Unlock(dir / "v", "admin", kPass, o);
    ASSERT_TRUE(v.ok());
    using model::RecordType;
    std::vector<model::Record> batch = {
        {"P-1",
         RecordType::kPerson,
         {{"names", {{{"text", "Published Aygul"}}}}, {"gender", "female"}, {"notes", hidden[1]}}},
        {"P-2", RecordType::kPerson, {{"names", {{{"text", hidden[0]}}}}, {"gender", "male"}}},
        {"P-3", RecordType::kPerson, {{"names", {{{"text", hidden[4]}}}}}},
        {"W-1", RecordType::kWitness, {{"name", "W"}, {"contact", hidden[2]}}},
        // Names may be published for P-1; for P-2 only that the testimony exists.
        {"T-1",
         RecordType::kTestimony,
         {{"witness", "W-1"},
          {"people", {"P-1"}},
          {"transcript", "the published testimony"},
          {"consent",
           {{"name", true},
            {"testimony_text", true},
            {"face_voice", false},
            {"id_number", false}}}}},
        {"T-2",
         RecordType::kTestimony,
         {{"people", {"P-2"}},
          {"transcript", hidden[3]},
          {"consent",
           {{"name", false},
            {"testimony_text", false},
            {"face_voice", true},
            {"id_number", false}}}}},
        {"X-1", RecordType::kEvent, {{"person", "P-1"}, {"kind", "detained"}, {"date", "2018"}}},
    };
    ASSERT_TRUE((*v)->SaveAll(batch).ok());
    auto bundle = BuildPublicBundle(**v);
    ASSERT_TRUE(bundle.ok()) << bundle.status().message();
    fs::create_directories(dir / "fresh");
    std::ofstream(dir / "fresh/bundle.json", std::ios::binary) << bundle->Format();
    std::ofstream(dir / "fresh/log.pub", std::ios::binary) << (*v)->log()->verifier().Encode();
  }
  // A fresh directory: the bundle and the key, nothing else.
  fs::remove_all(dir / "v");
  const std::string bytes = Slurp(dir / "fresh/bundle.json");
  for (const auto& c : hidden) EXPECT_EQ(bytes.find(c), std::string::npos) << c;
  EXPECT_NE(bytes.find("Published Aygul"), std::string::npos);
  EXPECT_NE(bytes.find("the published testimony"), std::string::npos);
  auto parsed = ledger::Bundle::Parse(bytes);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  auto check = ledger::VerifyBundle(*parsed, Policy(Slurp(dir / "fresh/log.pub")));
  ASSERT_TRUE(check.ok()) << check.status().message();
  // T-1, T-2, P-1, P-2, X-1 (P-3 and W-1 are not published).
  EXPECT_EQ(check->records, 5u);

  // A changed revealed value is named with its record and field.
  auto tampered = *parsed;
  for (auto& r : tampered.records)
    if (r.id == "P-1")
      for (auto& f : r.revealed)
        if (f.name == "gender") f.value = "male";
  auto bad = ledger::VerifyBundle(tampered, Policy(Slurp(dir / "fresh/log.pub")));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("record P-1 version 1"), std::string::npos)
      << bad.status().message();
  EXPECT_NE(bad.status().message().find("gender"), std::string::npos) << bad.status().message();

  // A flipped byte in the checkpoint fails its signature.
  std::string flipped = bytes;
  size_t at = flipped.find("izde.vault/");
  at = flipped.find("\\n", at) + 2;  // the size line of the checkpoint
  flipped[at] = flipped[at] == '9' ? '8' : '9';
  auto reparsed = ledger::Bundle::Parse(flipped);
  ASSERT_TRUE(reparsed.ok());
  EXPECT_FALSE(ledger::VerifyBundle(*reparsed, Policy(Slurp(dir / "fresh/log.pub"))).ok());

  // Another log's key does not verify it.
  auto other = ledger::NoteSigner::Generate("izde.vault/someone-else");
  EXPECT_FALSE(ledger::VerifyBundle(*parsed, {other->verifier(), "", {}, 0}).ok());

  // v2: the proofs share the bundle's checkpoint, which appears once.
  nlohmann::json j = nlohmann::json::parse(bytes);
  EXPECT_EQ(j["format"], "izde-bundle/v2");
  const std::string checkpoint = j["checkpoint"];
  // The checkpoint's root hash (its third line) is in the bundle once.
  const size_t l2 = checkpoint.find('\n', checkpoint.find('\n') + 1);
  const std::string root = checkpoint.substr(l2 + 1, checkpoint.find('\n', l2 + 1) - l2 - 1);
  ASSERT_EQ(root.size(), 44u) << checkpoint;
  ASSERT_NE(bytes.find(root), std::string::npos);
  EXPECT_EQ(bytes.find(root, bytes.find(root) + 1), std::string::npos);
  // An older v1 bundle (every proof with its own copy of the checkpoint) still verifies.
  nlohmann::json old = j;
  old["format"] = "izde-bundle/v1";
  for (auto& r : old["records"]) r["proof"] = r["proof"].get<std::string>() + "\n" + checkpoint;
  const std::string v1 = old.dump(1);
  EXPECT_GT(v1.size(), bytes.size() + 4 * checkpoint.size());
  auto parsed_v1 = ledger::Bundle::Parse(v1);
  ASSERT_TRUE(parsed_v1.ok()) << parsed_v1.status().message();
  auto check_v1 = ledger::VerifyBundle(*parsed_v1, Policy(Slurp(dir / "fresh/log.pub")));
  ASSERT_TRUE(check_v1.ok()) << check_v1.status().message();
  EXPECT_EQ(check_v1->records, 5u);
  EXPECT_EQ(parsed_v1->Format(), parsed->Format());  // written again, it is v2
  // ... but not with a proof against another checkpoint, nor a v2 proof left in it.
  old["records"][1]["proof"] = j["records"][1]["proof"].get<std::string>() + "\n" +
                               checkpoint.substr(0, checkpoint.size() - 2) + "x\n";
  auto mixed = ledger::Bundle::Parse(old.dump(1));
  ASSERT_FALSE(mixed.ok());
  EXPECT_NE(mixed.status().message().find("against another checkpoint"), std::string::npos)
      << mixed.status().message();
  old["records"][1]["proof"] = j["records"][1]["proof"];
  EXPECT_FALSE(ledger::Bundle::Parse(old.dump(1)).ok());
  // A v2 bundle whose proof carries a checkpoint of its own does not verify.
  nlohmann::json doubled = j;
  doubled["records"][0]["proof"] =
      doubled["records"][0]["proof"].get<std::string>() + "\n" + checkpoint;
  auto reparsed_doubled = ledger::Bundle::Parse(doubled.dump(1));
  ASSERT_TRUE(reparsed_doubled.ok());
  EXPECT_FALSE(ledger::VerifyBundle(*reparsed_doubled, Policy(Slurp(dir / "fresh/log.pub"))).ok());
}

TEST(Publication, OptionsNarrowFieldsAndAddRelationsOfNamedPeople) {
  TestDir dir;
  VaultOptions o;
  o.kdf = KdfCost::kTestOnlyMinimum;
  ASSERT_TRUE(Vault::Create(dir / "v", "admin", kPass, o).ok());
  auto v = Vault::Unlock(dir / "v", "admin", kPass, o);
  ASSERT_TRUE(v.ok());
  using model::RecordType;
  auto consent = [](bool name) {
    return nlohmann::json{
        {"name", name}, {"testimony_text", true}, {"face_voice", false}, {"id_number", false}};
  };
  std::vector<model::Record> batch = {
      {"P-1", RecordType::kPerson, {{"names", {{{"text", "Aygul A"}}}}, {"birth_date", "1980"}}},
      {"P-2", RecordType::kPerson, {{"names", {{{"text", "Tursun A"}}}}}},
      {"P-3", RecordType::kPerson, {{"names", {{{"text", "Unnamed A"}}}}}},
      {"R-1", RecordType::kRelation, {{"from", "P-1"}, {"to", "P-2"}, {"kind", "parent"}}},
      {"R-2", RecordType::kRelation, {{"from", "P-1"}, {"to", "P-3"}, {"kind", "parent"}}},
      {"T-1", RecordType::kTestimony, {{"people", {"P-1", "P-2"}}, {"consent", consent(true)}}},
      {"T-2", RecordType::kTestimony, {{"people", {"P-3"}}, {"consent", consent(false)}}},
  };
  ASSERT_TRUE((*v)->SaveAll(batch).ok());

  auto plain = BuildPublicBundle(**v);
  ASSERT_TRUE(plain.ok());
  for (const auto& r : plain->records) EXPECT_NE(r.type, "relation") << r.id;

  PublicationOptions opt;
  opt.relations = true;
  opt.field_allowed = [](RecordType t, std::string_view f) {
    return !(t == RecordType::kPerson && f == "birth_date");
  };
  auto b = BuildPublicBundle(**v, opt);
  ASSERT_TRUE(b.ok()) << b.status().message();
  std::set<std::string> ids;
  for (const auto& r : b->records) {
    ids.insert(r.id);
    for (const auto& f : r.revealed) EXPECT_NE(f.name, "birth_date") << r.id;
  }
  EXPECT_TRUE(ids.count("R-1"));   // both people named
  EXPECT_FALSE(ids.count("R-2"));  // P-3's name is not consented
  auto check = ledger::VerifyBundle(*b, Policy((*v)->log()->verifier().Encode()));
  EXPECT_TRUE(check.ok()) << check.status().message();
}

// A bundle with an evidence file and an RFC 3161 timestamp: flipping any one byte of it,
// or of the file, makes verification fail (THREATS.md P4 for bundles).
TEST(Publication, FlippingAnyByteOfABundleOrItsFileFails) {
  ledger::testing::LocalTsa tsa;
  ASSERT_TRUE(tsa.ok()) << "the local openssl ts authority did not start";
  TestDir dir;
  VaultOptions o;
  o.kdf = KdfCost::kTestOnlyMinimum;
  ASSERT_TRUE(Vault::Create(dir / "v", "admin", kPass, o).ok());
  const std::string out = dir / "out/bundle.json";
  fs::create_directories(dir / "out");
  {
    auto v = Vault::Unlock(dir / "v", "admin", kPass, o);
    ASSERT_TRUE(v.ok());
    ASSERT_TRUE((*v)->log()->SetTimestampAuthority(tsa.url(), tsa.RootPem()).ok());
    std::ofstream(dir / "clip.mp4", std::ios::binary) << std::string(3000, 'c');
    ASSERT_TRUE((*v)->AddEvidence(dir / "clip.mp4", {{"media_type", "video/mp4"}}, "E-1").ok());
    using model::RecordType;
    ASSERT_TRUE((*v)->SaveAll({{"P-1", RecordType::kPerson, {{"names", {{{"text", "Aygul"}}}}}},
                               {"T-1",
                                RecordType::kTestimony,
                                {{"people", {"P-1"}},
                                 {"evidence", {"E-1"}},
                                 {"consent",
                                  {{"name", true},
                                   {"face_voice", true},
                                   {"testimony_text", false},
                                   {"id_number", false}}}}}})
                    .ok());
    EXPECT_TRUE((*v)->log()->timestamp_problem().empty()) << (*v)->log()->timestamp_problem();
    PublicationOptions with_files;
    with_files.with_files = true;
    auto written = WritePublicBundle(**v, out, with_files);
    ASSERT_TRUE(written.ok()) << written.status().message();
    ASSERT_FALSE(written->timestamp.empty());
    ASSERT_EQ(written->evidence.size(), 1u);
  }
  ledger::BundleOptions options;
  options.tsa_pem = tsa.RootPem();
  options.files_dir = out + ".files";
  const auto policy = Policy(Slurp(out + ".pub").substr(0, Slurp(out + ".pub").size() - 1));
  const std::string bytes = Slurp(out);
  auto good = ledger::VerifyBundle(*ledger::Bundle::Parse(bytes), policy, options);
  ASSERT_TRUE(good.ok()) << good.status().message();
  EXPECT_EQ(good->files, 1u);
  ASSERT_TRUE(good->timestamp.has_value());
  EXPECT_TRUE(good->timestamp_pinned);

  size_t accepted = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::string flipped = bytes;
    flipped[i] = static_cast<char>(flipped[i] ^ 0x01);
    auto parsed = ledger::Bundle::Parse(flipped);
    if (!parsed.ok()) continue;
    auto v = ledger::VerifyBundle(*parsed, policy, options);
    if (v.ok() && ++accepted <= 5)
      ADD_FAILURE() << "byte " << i << " ('" << bytes[i] << "') flipped still verifies: ..."
                    << bytes.substr(i > 40 ? i - 40 : 0, 80);
  }
  EXPECT_EQ(accepted, 0u);

  // The evidence file: one flipped byte is named with the evidence id and the file.
  const fs::path file = *fs::directory_iterator(out + ".files");
  std::string content = Slurp(file);
  content[1500] ^= 0x01;
  std::ofstream(file, std::ios::binary | std::ios::trunc) << content;
  auto bad = ledger::VerifyBundle(*ledger::Bundle::Parse(bytes), policy, options);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("evidence E-1: the file"), std::string::npos)
      << bad.status().message();

  // Another authority's certificate does not vouch for the time.
  ledger::testing::LocalTsa stranger;
  ASSERT_TRUE(stranger.ok());
  options.tsa_pem = stranger.RootPem();
  options.files_dir.clear();
  auto untrusted = ledger::VerifyBundle(*ledger::Bundle::Parse(bytes), policy, options);
  ASSERT_FALSE(untrusted.ok());
  EXPECT_NE(untrusted.status().message().find("the bundle's timestamp"), std::string::npos)
      << untrusted.status().message();
}

}  // namespace
}  // namespace izde::vault
