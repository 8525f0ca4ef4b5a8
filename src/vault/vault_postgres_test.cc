// A vault whose records live in PostgreSQL: the same promises as a vault on
// SQLite (THREATS.md P1 over the database's own files), and several servers
// sharing one database.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unicode/unistr.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include "ledger/checkpoint.h"
#include "ledger/cosignature.h"
#include "ledger/note.h"
#include "ledger/sha256.h"
#include "ledger/test_tsa.h"
#include "store/postgresql/test_cluster.h"
#include "vault/fault_points.h"
#include "vault/test_vault_dir.h"
#include "vault/vault.h"
#include "vault/vault_store.h"

namespace izde::vault {
namespace {

namespace fs = std::filesystem;
constexpr const char* kPass = "correct horse battery staple";

class PostgresVault : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = store::TestCluster::Shared();
    ASSERT_TRUE(c.ok()) << c.status().message();
    cluster_ = *c;
    auto uri = cluster_->CreateDatabase();
    ASSERT_TRUE(uri.ok()) << uri.status().message();
    uri_ = *uri;
  }
  VaultOptions Options(bool with_store = true) const {
    VaultOptions o;
    o.kdf = KdfCost::kTestOnlyMinimum;
    if (with_store) o.store = uri_;
    o.catch_up_ms = 0;
    return o;
  }
  std::unique_ptr<Vault> Open(const std::string& dir, bool with_store = false) {
    auto v = Vault::Unlock(dir, "admin", kPass, Options(with_store));
    EXPECT_TRUE(v.ok()) << v.status().message();
    return v.ok() ? std::move(v).value() : nullptr;
  }
  static model::Record Person(const std::string& id, const std::string& name,
                              const std::string& notes = "") {
    model::Record r{id, model::RecordType::kPerson, {{"names", {{{"text", name}}}}}};
    if (!notes.empty()) r.doc["notes"] = notes;
    return r;
  }
  store::TestCluster* cluster_ = nullptr;
  std::string uri_;
  TestDir dir_;
};

TEST_F(PostgresVault, KeepsRecordsInTheDatabaseAndVerifies) {
  ASSERT_TRUE(Vault::Create(dir_ / "v", "admin", kPass, Options()).ok());
  EXPECT_FALSE(fs::exists(dir_ / "v/vault.db"));
  EXPECT_EQ(StoreLocation(dir_ / "v", ""), uri_);
  {
    auto v = Open(dir_ / "v");  // the location comes from VAULT/store
    ASSERT_TRUE(v);
    EXPECT_EQ(*v->Save(Person("P-1", "Қалида Ақытхан")), 1);
    EXPECT_EQ(*v->Save(Person("P-1", "Қалида Ақытхан", "moved to a prison")), 2);
    ASSERT_TRUE(v->SaveAll({Person("P-2", "ئىلھام توختى"), Person("P-3", "阿克提汗")}).ok());
  }
  auto v = Open(dir_ / "v");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->Get("P-1")->record.doc["notes"], "moved to a prison");
  EXPECT_EQ(v->History("P-1")->size(), 2u);
  EXPECT_EQ(v->Search("Ақытхан")->at(0).id, "P-1");
  EXPECT_EQ(v->Search("توختى")->at(0).id, "P-2");
  auto check = v->CheckEverything();
  ASSERT_TRUE(check.ok()) << check.status().message();
  EXPECT_TRUE(check->problems.empty()) << check->problems.front();
  EXPECT_EQ(check->versions, 4u);
  EXPECT_EQ(*cluster_->Psql("SELECT count(*) FROM versions", uri_.substr(14, uri_.find('?') - 14)),
            "4");
  // A second vault on the same database is refused; a password is never written down.
  auto again = Vault::Create(dir_ / "w", "admin", kPass, Options());
  EXPECT_EQ(again.code(), Status::Code::kAlreadyExists) << again.message();
  VaultOptions with_pw = Options();
  with_pw.store = "postgresql://izde:Hunter2-Secret@db.example/izde";
  auto pw = Vault::Create(dir_ / "x", "admin", kPass, with_pw);
  EXPECT_EQ(pw.code(), Status::Code::kInvalidInput);
  EXPECT_EQ(pw.message().find("Hunter2-Secret"), std::string::npos) << pw.message();
  EXPECT_FALSE(fs::exists(dir_ / "x/store"));
}

std::string Psql(store::TestCluster* cluster, const std::string& uri, const std::string& sql) {
  auto out = cluster->Psql(sql, uri.substr(14, uri.find('?') - 14));
  EXPECT_TRUE(out.ok()) << out.status().message();
  return out.ok() ? *out : "";
}

std::u16string Utf16(const std::string& s) {
  std::u16string out;
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(s);
  for (int i = 0; i < u.length(); ++i) out += static_cast<char16_t>(u.charAt(i));
  return out;
}

// Searches every file under `root` for each needle in UTF-8 and UTF-16; returns
// the hits as "needle in path".
std::vector<std::string> Scan(const fs::path& root, const std::vector<std::string>& needles) {
  std::vector<std::string> hits;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream f(entry.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(f)), {});
    std::u16string wide[2];
    for (size_t a = 0; a < 2 && bytes.size() > a;
         ++a) {  // memcpy: bytes.data() + 1 is not aligned for char16_t
      wide[a].resize((bytes.size() - a) / 2);
      std::memcpy(wide[a].data(), bytes.data() + a, wide[a].size() * sizeof(char16_t));
    }
    for (const auto& n : needles) {
      bool hit = bytes.find(n) != std::string::npos;
      for (const auto& w : wide) hit = hit || w.find(Utf16(n)) != std::u16string::npos;
      if (hit) hits.push_back(n + " in " + entry.path().string());
    }
  }
  return hits;
}

// THREATS.md P1 for the shared store: nothing identifying reaches PostgreSQL's
// files (tables, indexes, WAL, the server log) or the vault directory.
// Trustees' recovered keys give a new user access to a vault whose store is PostgreSQL:
// the key slot goes into the database, where every server sees it.
TEST_F(PostgresVault, RecoveredKeysAddAUserInTheDatabase) {
  ASSERT_TRUE(Vault::Create(dir_ / "v", "admin", kPass, Options()).ok());
  UnlockedKeys keys;
  {
    auto v = Open(dir_ / "v");
    ASSERT_TRUE(v);
    ASSERT_TRUE(v->KeysForRecovery());
    keys.master = v->KeysForRecovery()->master;
  }
  auto added = Vault::AddRecoveredUser(dir_ / "v", keys, "trustee-access", "a new passphrase",
                                       KdfCost::kTestOnlyMinimum);
  ASSERT_TRUE(added.ok()) << added.message();
  EXPECT_FALSE(fs::exists(dir_ / "v/vault.db"));
  auto again = Vault::AddRecoveredUser(dir_ / "v", keys, "trustee-access", "a new passphrase",
                                       KdfCost::kTestOnlyMinimum);
  EXPECT_EQ(again.code(), Status::Code::kAlreadyExists);
  auto v = Vault::Unlock(dir_ / "v", "trustee-access", "a new passphrase", Options(false));
  ASSERT_TRUE(v.ok()) << v.status().message();
}

TEST_F(PostgresVault, NoCanaryReachesTheDatabaseFiles) {
  const std::vector<std::string> canaries = {
      "Canarybek Zhumagaliuly", "Канарейка Жұмағалиқызы",        "كانارىيە تۇرسۇن",
      "金丝雀买买提",           "the canary testimony sentence", "witness canary phone 555-0142",
      "EVIDENCE-CANARY-BYTES"};
  // Record ids are plain by design (vault.md): finding one proves the scan reads
  // the files the database really wrote to.
  const std::string plain_id = "PLAIN-ID-CONTROL-7Q";
  ASSERT_TRUE(Vault::Create(dir_ / "v", "admin", kPass, Options()).ok());
  auto v = Open(dir_ / "v");
  ASSERT_TRUE(v);
  std::vector<model::Record> batch;
  for (int i = 0; i < 4; ++i)
    batch.push_back(Person("P-" + std::to_string(i), canaries[static_cast<size_t>(i)]));
  batch.push_back(Person(plain_id, "Control Person"));
  batch.push_back({"T-1", model::RecordType::kTestimony, {{"transcript", canaries[4]}}});
  batch.push_back({"W-1", model::RecordType::kWitness, {{"name", "W"}, {"contact", canaries[5]}}});
  ASSERT_TRUE(v->SaveAll(batch).ok());
  std::ofstream(dir_ / "scan.pdf", std::ios::binary) << std::string(1000, 'x') + canaries[6];
  ASSERT_TRUE(v->AddEvidence(dir_ / "scan.pdf", {{"media_type", "application/pdf"}}).ok());
  // The sealed evidence is in the database (blob_chunks), so the scan covers it there.
  EXPECT_EQ(Psql(cluster_, uri_, "SELECT count(*) FROM blob_chunks"), "1");
  // Into the table files, not only the WAL.
  ASSERT_TRUE(cluster_->Psql("CHECKPOINT").ok());
  for (int pass = 0; pass < 2; ++pass) {
    for (const fs::path& root : {fs::path(cluster_->dir()), fs::path(dir_ / "v")}) {
      EXPECT_EQ(Scan(root, canaries), std::vector<std::string>{}) << root;
    }
    EXPECT_FALSE(Scan(cluster_->data_dir(), {plain_id}).empty())
        << "the scan did not find a plain record id: it is not reading the database's files";
    if (pass == 0) {
      v.reset();
      ASSERT_TRUE(cluster_->Psql("CHECKPOINT").ok());
    }
  }
}

// A batch larger than the chunk SaveAll reads and writes at once (1,000), with one record
// several times, some copies unchanged: the same versions as one save at a time would
// write, numbered in order, the log and the store agreeing.
TEST_F(PostgresVault, ALargeBatchWithRepeatedRecordsSavesEachChangeOnce) {
  ASSERT_TRUE(Vault::Create(dir_ / "v", "admin", kPass, Options()).ok());
  auto v = Open(dir_ / "v");
  ASSERT_TRUE(v);
  ASSERT_TRUE(v->Save(Person("P-0500", "Aygul Serikqyzy")).ok());
  std::vector<model::Record> batch;
  for (int i = 0; i < 2300; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "P-%04d", i);
    batch.push_back(Person(id, "Person " + std::to_string(i)));
  }
  batch[500] = Person("P-0500", "Aygul Serikqyzy");                // unchanged: no version
  batch.push_back(Person("P-0007", "Person 7"));                   // unchanged within the batch
  batch.push_back(Person("P-0007", "Person 7", "a second note"));  // changed: version 2
  batch.push_back(Person("P-0500", "Aygul Serikqyzy", "moved"));   // version 2 of a stored one
  batch.push_back(Person("P-1500", "Person 1500", "moved"));       // another chunk's record
  auto saved = v->SaveAll(batch);
  ASSERT_TRUE(saved.ok()) << saved.status().message();
  EXPECT_EQ(*saved, 2299u + 3u);
  EXPECT_EQ(v->History("P-0007")->size(), 2u);
  EXPECT_EQ(v->History("P-0500")->size(), 2u);
  EXPECT_EQ(v->Get("P-1500")->version, 2);
  EXPECT_EQ(v->Get("P-0500")->record.doc["notes"], "moved");
  auto type = v->SaveAll(
      {Person("P-9999", "New"),
       model::Record{
           "P-0001", model::RecordType::kSource, {{"kind", "other"}, {"title", "not a person"}}}});
  EXPECT_EQ(type.status().code(), Status::Code::kInvalidInput);
  EXPECT_NE(type.status().message().find("cannot be saved as a source"), std::string::npos)
      << type.status().message();
  EXPECT_FALSE(v->Exists("P-9999")) << "a refused batch leaves nothing";
  auto check = v->CheckEverything();
  ASSERT_TRUE(check.ok()) << check.status().message();
  EXPECT_TRUE(check->problems.empty()) << check->problems.front();
  EXPECT_EQ(check->versions, 1u + 2302u);
  EXPECT_EQ(Psql(cluster_, uri_, "SELECT max(seq) - min(seq) + 1 = count(*) FROM versions"), "t")
      << "change numbers without gaps";
}

// Two servers, each with its own directory, on one database: what one saves the
// other finds, and both saving the same record at once loses no version.
TEST_F(PostgresVault, TwoServersShareOneDatabase) {
  ASSERT_TRUE(Vault::Create(dir_ / "almaty", "admin", kPass, Options()).ok());
  auto almaty = Open(dir_ / "almaty");
  ASSERT_TRUE(almaty);
  // Istanbul joins: a new directory for the same database.
  auto istanbul = Open(dir_ / "istanbul", true);
  ASSERT_TRUE(istanbul);
  EXPECT_EQ(StoreLocation(dir_ / "istanbul", ""), uri_);
  ASSERT_TRUE(almaty->Save(Person("P-1", "Қалида Ақытхан")).ok());
  EXPECT_EQ(istanbul->Search("Ақытхан")->at(0).id, "P-1");
  ASSERT_TRUE(istanbul->Save(Person("P-2", "Memet Tursun")).ok());
  EXPECT_EQ(almaty->Search("Tursun")->at(0).id, "P-2");

  constexpr int kEdits = 20;
  auto edit = [&](Vault* v, const std::string& who) {
    for (int i = 0; i < kEdits; ++i) {
      auto saved = v->Save(Person("P-1", "Қалида Ақытхан", who + " edit " + std::to_string(i)));
      EXPECT_TRUE(saved.ok()) << saved.status().message();
    }
  };
  std::thread a(edit, almaty.get(), "almaty"), b(edit, istanbul.get(), "istanbul");
  a.join();
  b.join();
  auto hist = almaty->History("P-1");
  ASSERT_TRUE(hist.ok()) << hist.status().message();
  ASSERT_EQ(hist->size(), 1u + 2 * kEdits);
  int from_almaty = 0, from_istanbul = 0;
  for (size_t i = 0; i < hist->size(); ++i) {
    EXPECT_EQ((*hist)[i].version, static_cast<int64_t>(i + 1));
    std::string notes = (*hist)[i].record.doc.value("notes", "");
    from_almaty += notes.rfind("almaty", 0) == 0;
    from_istanbul += notes.rfind("istanbul", 0) == 0;
  }
  EXPECT_EQ(from_almaty, kEdits);
  EXPECT_EQ(from_istanbul, kEdits);
}

// Issue 9: evidence and the log live in the database, so two servers share both. What one
// adds the other extracts; saves from both at once make one log, which `izde verify
// --vault` (inspect_only) accepts from either directory, with the same root on both.
TEST_F(PostgresVault, TwoServersShareEvidenceAndOneLog) {
  ASSERT_TRUE(Vault::Create(dir_ / "almaty", "admin", kPass, Options()).ok());
  auto almaty = Open(dir_ / "almaty");
  auto istanbul = Open(dir_ / "istanbul", true);
  ASSERT_TRUE(almaty && istanbul);
  std::string video(200 * 1024 + 77, '\0');
  for (size_t i = 0; i < video.size(); ++i) video[i] = static_cast<char>(i * 131 + (i >> 9));
  std::ofstream(dir_ / "video.mp4", std::ios::binary) << video;
  auto ev = almaty->AddEvidence(dir_ / "video.mp4", {{"media_type", "video/mp4"}}, "E-1");
  ASSERT_TRUE(ev.ok()) << ev.status().message();
  auto in_memory = istanbul->AddEvidenceBytes("a scanned letter", nlohmann::json::object(), "E-2");
  ASSERT_TRUE(in_memory.ok()) << in_memory.status().message();
  // A streamed upload (the web server's) goes to the database too.
  auto pending = istanbul->BeginEvidence();
  ASSERT_TRUE(pending.ok()) << pending.status().message();
  ASSERT_TRUE((*pending)->Append("streamed ").ok());
  ASSERT_TRUE((*pending)->Append("upload").ok());
  auto streamed = istanbul->FinishEvidence(std::move(*pending), nlohmann::json::object(), "E-3");
  ASSERT_TRUE(streamed.ok()) << streamed.status().message();
  ASSERT_TRUE(almaty->ExtractEvidence("E-3", dir_ / "streamed.txt").ok());
  {
    std::ifstream f(dir_ / "streamed.txt", std::ios::binary);
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(f), {}), "streamed upload");
  }
  // Neither directory holds a sealed file: the database does.
  for (const char* d : {"almaty", "istanbul"})
    for (const auto& e : fs::recursive_directory_iterator(fs::path(dir_ / d) / kBlobDir))
      if (!e.is_directory())
        ADD_FAILURE() << "a file in " << d << "'s blob directory: " << e.path();
  EXPECT_EQ(Psql(cluster_, uri_, "SELECT count(DISTINCT blob) FROM blob_chunks"), "3");
  ASSERT_TRUE(istanbul->ExtractEvidence("E-1", dir_ / "out.mp4").ok());
  std::ifstream got(dir_ / "out.mp4", std::ios::binary);
  EXPECT_TRUE(std::string(std::istreambuf_iterator<char>(got), {}) == video);
  ASSERT_TRUE(almaty->ExtractEvidence("E-2", dir_ / "letter.txt").ok());

  constexpr int kBatches = 15;
  auto write = [&](Vault* v, const std::string& who) {
    for (int i = 0; i < kBatches; ++i) {
      auto saved = v->SaveAll({Person(who + "-" + std::to_string(i), "Person of " + who),
                               Person("P-shared", "Shared Person", who + " " + std::to_string(i))});
      EXPECT_TRUE(saved.ok()) << saved.status().message();
    }
  };
  std::thread a(write, almaty.get(), "almaty"), b(write, istanbul.get(), "istanbul");
  a.join();
  b.join();
  almaty.reset();
  istanbul.reset();
  // 3 evidence records + their 3 file leaves + 2 * 15 batches of 2 versions.
  const uint64_t expected = 6 + 2 * kBatches * 2;
  EXPECT_EQ(Psql(cluster_, uri_, "SELECT count(*) FROM log_entries"), std::to_string(expected));
  std::string roots[2];
  int side = 0;
  for (const char* d : {"almaty", "istanbul"}) {
    VaultOptions o = Options(false);
    o.inspect_only = true;  // as `izde verify --vault`
    auto v = Vault::Unlock(dir_ / d, "admin", kPass, o);
    ASSERT_TRUE(v.ok()) << v.status().message();
    auto check = (*v)->CheckEverything();
    ASSERT_TRUE(check.ok()) << check.status().message();
    EXPECT_TRUE(check->problems.empty()) << d << ": " << check->problems.front();
    EXPECT_EQ(check->log_entries, expected) << d;
    EXPECT_EQ(check->blobs, 3u) << d;
    EXPECT_EQ((*v)->log()->Size(), expected);
    roots[side++] = ledger::HexOf((*v)->log()->log().Root());
    // Every checkpoint either server signed is in both directories' history.
    EXPECT_EQ(check->checkpoints,
              std::stoul(Psql(cluster_, uri_, "SELECT count(*) FROM log_checkpoints")) + 1)
        << d;
  }
  EXPECT_EQ(roots[0], roots[1]);
  // The database keeps its log append-only, even for someone with SQL access.
  auto changed = cluster_->Psql("UPDATE log_entries SET entry = '\\x00' WHERE idx = 0",
                                uri_.substr(14, uri_.find('?') - 14));
  EXPECT_FALSE(changed.ok());
}

// A copy of the log that no longer matches the database's (a fork) is refused by name.
TEST_F(PostgresVault, AForkedCopyOfTheLogIsRefused) {
  ASSERT_TRUE(Vault::Create(dir_ / "almaty", "admin", kPass, Options()).ok());
  {
    auto v = Open(dir_ / "almaty");
    ASSERT_TRUE(v && v->Save(Person("P-1", "First")).ok());
  }
  // Another vault's log, of the same size, put in place of this one's copy.
  const fs::path other = fs::path(dir_ / "other");
  {
    VaultOptions o = Options(false);
    ASSERT_TRUE(Vault::Create(other / "v", "admin", kPass, o).ok());
    auto v = Vault::Unlock(other / "v", "admin", kPass, o);
    ASSERT_TRUE(v.ok() && (*v)->Save(Person("P-1", "Someone else")).ok());
  }
  fs::remove_all(fs::path(dir_ / "almaty") / kLogDir);
  fs::copy(fs::path(other / "v") / kLogDir, fs::path(dir_ / "almaty") / kLogDir,
           fs::copy_options::recursive);
  auto v = Vault::Unlock(dir_ / "almaty", "admin", kPass, Options(false));
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.status().message().find("forked"), std::string::npos) << v.status().message();
}

// LISTEN/NOTIFY: a server learns of another's commit at once, without polling (its
// polling interval here is ten minutes), within a bound.
TEST_F(PostgresVault, AnotherServersSaveIsAnnouncedAtOnce) {
  ASSERT_TRUE(Vault::Create(dir_ / "almaty", "admin", kPass, Options()).ok());
  auto almaty = Open(dir_ / "almaty");
  VaultOptions slow = Options();
  slow.catch_up_ms = 600000;
  auto istanbul = Vault::Unlock(dir_ / "istanbul", "admin", kPass, slow);
  ASSERT_TRUE(almaty && istanbul.ok());
  EXPECT_TRUE((*istanbul)->Search("Tursun")->empty());  // its one poll happens here
  EXPECT_FALSE(*(*istanbul)->WaitForChanges(50));       // nothing to announce yet
  const auto start = std::chrono::steady_clock::now();
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    EXPECT_TRUE(almaty->Save(Person("P-1", "Memet Tursun")).ok());
  });
  auto told = (*istanbul)->WaitForChanges(10000);
  const auto waited = std::chrono::steady_clock::now() - start;
  writer.join();
  ASSERT_TRUE(told.ok()) << told.status().message();
  EXPECT_TRUE(*told);
  EXPECT_LT(waited, std::chrono::seconds(3));
  auto hits = (*istanbul)->Search("Tursun");
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 1u);
  // And a search alone, without waiting, picks up the next announcement.
  ASSERT_TRUE(almaty->Save(Person("P-2", "Aygul Tursun")).ok());
  std::vector<index::Hit> found;
  for (int i = 0; i < 300 && found.size() < 2; ++i) {
    found = *(*istanbul)->Search("Tursun");
    if (found.size() < 2) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(found.size(), 2u) << "the notification did not arrive within 3 s";
}

// A partner's cosignature line on `note` (the vault's signed checkpoint), as `izde log
// cosign` makes it.
std::string Cosigned(const std::string& note, const ledger::NoteVerifier& log_key,
                     const ledger::NoteSigner& partner) {
  ledger::CosignRequest req{note, log_key, std::nullopt, {}, 1790000000};
  auto sig = ledger::Cosign(req, partner);
  EXPECT_TRUE(sig.ok()) << sig.status().message();
  if (!sig.ok()) return "";
  auto out = ledger::AddSignatures(note, std::span(&*sig, 1));
  EXPECT_TRUE(out.ok()) << out.status().message();
  return out.ok() ? *out : "";
}

// Trusted time and cosignatures are the database's, not one server directory's: a token
// one server obtained, the authority one server configured, and cosignatures added on two
// servers at once are what every server reads, verifies and copies into its directory.
TEST_F(PostgresVault, TimestampsAndCosignaturesAreSharedByEveryServer) {
  ledger::testing::LocalTsa tsa;
  ASSERT_TRUE(tsa.ok()) << "the local openssl ts authority did not start";
  ASSERT_TRUE(Vault::Create(dir_ / "a", "admin", kPass, Options()).ok());
  auto a = Open(dir_ / "a");
  auto b = Open(dir_ / "b", true);
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(a->log()->SetTimestampAuthority(tsa.url(), tsa.RootPem()).ok());
  ASSERT_TRUE(a->Save(Person("P-1", "Aygul Serikqyzy")).ok());
  const uint64_t stamped_by_a = a->log()->Size();
  // Server B was configured by nobody: it stamps with the authority A set.
  ASSERT_TRUE(b->Save(Person("P-2", "Nurlan Omarov")).ok());
  EXPECT_TRUE(b->log()->timestamp_problem().empty()) << b->log()->timestamp_problem();
  const uint64_t stamped_by_b = b->log()->Size();
  EXPECT_FALSE(a->log()->TimestampToken(stamped_by_b)->empty()) << "A reads B's token";
  EXPECT_FALSE(b->log()->TimestampToken(stamped_by_a)->empty()) << "B reads A's token";
  EXPECT_FALSE(fs::exists(dir_ / "b/log/timestamp-authority.pem"))
      << "B read the authority from the database, not from a copy";

  // Two partners cosign B's checkpoint; one cosignature arrives at A, the other at B.
  auto p1 = ledger::NoteSigner::Generate("partner.one", ledger::KeyType::kCosignatureV1);
  auto p2 = ledger::NoteSigner::Generate("partner.two", ledger::KeyType::kCosignatureV1);
  ASSERT_TRUE(p1.ok() && p2.ok());
  const std::string note = *b->log()->LatestCheckpoint();
  ASSERT_TRUE(
      a->log()->AddCosignature(Cosigned(note, a->log()->verifier(), *p1), p1->verifier()).ok());
  ASSERT_TRUE(
      b->log()->AddCosignature(Cosigned(note, b->log()->verifier(), *p2), p2->verifier()).ok());
  for (Vault* v : {a.get(), b.get()}) {
    EXPECT_EQ(v->log()->Cosigners()->size(), 2u);
    size_t signatures = 0;
    auto checkpoints = v->log()->Checkpoints();
    ASSERT_TRUE(checkpoints.ok()) << checkpoints.status().message();
    for (const auto& cp : checkpoints.value()) {
      auto parsed = ledger::ParseNote(cp.note);
      ASSERT_TRUE(parsed.ok());
      auto body = ledger::Checkpoint::ParseBody(parsed->text);
      if (body.ok() && body->size == stamped_by_b && cp.path.find("database") != std::string::npos)
        signatures = parsed->signatures.size();
    }
    EXPECT_EQ(signatures, 3u) << "the vault's signature and both partners'";
    auto check = v->CheckEverything();
    ASSERT_TRUE(check.ok()) << check.status().message();
    EXPECT_TRUE(check->problems.empty()) << check->problems.front();
    EXPECT_GE(check->timestamps, 2u);
  }
  EXPECT_EQ(Psql(cluster_, uri_, "SELECT count(*) FROM log_files WHERE name LIKE 'cosigners/%'"),
            "2");

  // A third server's directory receives the copy at unlock: history, tokens, cosigners.
  a.reset();
  b.reset();
  auto c = Open(dir_ / "c", true);
  ASSERT_TRUE(c);
  char name[32];
  std::snprintf(name, sizeof name, "%020llu", static_cast<unsigned long long>(stamped_by_b));
  EXPECT_TRUE(fs::exists(fs::path(dir_ / "c/log/timestamps") / name));
  std::ifstream history(fs::path(dir_ / "c/log/checkpoints") / name);
  std::string copied((std::istreambuf_iterator<char>(history)), {});
  EXPECT_NE(copied.find("partner.one"), std::string::npos) << copied;
  EXPECT_NE(copied.find("partner.two"), std::string::npos) << copied;
  std::ifstream cosigners(dir_ / "c/log/cosigners");
  std::string known((std::istreambuf_iterator<char>(cosigners)), {});
  EXPECT_NE(known.find("partner.one"), std::string::npos);

  // Moving the vault back into a directory (izde migrate) carries them too.
  {
    auto store = OpenVaultStore(dir_ / "c", "", false);
    ASSERT_TRUE(store.ok()) << store.status().message();
    fs::create_directories(fs::path(dir_ / "back"));
    ASSERT_TRUE(CopyFilesFromShared(**store, dir_ / "back").ok());
    EXPECT_TRUE(fs::exists(fs::path(dir_ / "back/log/timestamps") / name));
    EXPECT_TRUE(fs::exists(dir_ / "back/log/timestamp-authority.pem"));
    EXPECT_TRUE(fs::exists(dir_ / "back/log/cosigners"));
  }

  // A token altered in the database is named by verify on any server.
  Psql(cluster_, uri_,
       "UPDATE log_files SET content = set_byte(content, 40, get_byte(content, 40) # 1) WHERE "
       "name = 'timestamps/" +
           std::string(name) + "'");
  auto check = c->CheckEverything();
  ASSERT_TRUE(check.ok()) << check.status().message();
  bool named = false;
  for (const auto& p : check->problems)
    named |= p.find(std::string("log/timestamps/") + name) != std::string::npos;
  EXPECT_TRUE(named) << (check->problems.empty() ? "no problem found" : check->problems.front());
}

// Evidence on PostgreSQL: the sealed file reaches blob_chunks (its own transaction) before
// the record is saved. A server that dies in between (a fault point, in a child process
// that exits there) leaves a locked mark in its directory; its next unlock removes the
// blob from the database, which no record names. Saved evidence is left alone.
TEST_F(PostgresVault, AnUploadThatDiesBeforeItsRecordLeavesNoBlobInTheDatabase) {
  ASSERT_TRUE(Vault::Create(dir_ / "v", "admin", kPass, Options()).ok());
  {
    auto v = Open(dir_ / "v");
    ASSERT_TRUE(v);
    ASSERT_TRUE(v->AddEvidenceBytes("a saved file", {{"media_type", "text/plain"}}, "E-1").ok());
  }
  const pid_t pid = ::fork();
  if (pid == 0) {
    auto v = Vault::Unlock(dir_ / "v", "admin", kPass, Options(false));
    if (!v.ok()) ::_exit(2);
    testing::after_blob_kept = [] { ::_exit(0); };
    (void)(*v)->AddEvidenceBytes("orphaned bytes", {{"media_type", "text/plain"}}, "E-2");
    ::_exit(3);
  }
  int status = -1;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_EQ(Psql(cluster_, uri_, "SELECT count(DISTINCT blob) FROM blob_chunks"), "2");
  auto v = Open(dir_ / "v");
  ASSERT_TRUE(v);
  EXPECT_EQ(Psql(cluster_, uri_, "SELECT count(DISTINCT blob) FROM blob_chunks"), "1");
  EXPECT_FALSE(fs::exists(dir_ / "v/blobs/pending") && !fs::is_empty(dir_ / "v/blobs/pending"));
  ASSERT_TRUE(v->ExtractEvidence("E-1", dir_ / "out").ok());
  auto check = v->CheckEverything();
  ASSERT_TRUE(check.ok()) << check.status().message();
  EXPECT_TRUE(check->problems.empty()) << check->problems.front();
}

}  // namespace
}  // namespace izde::vault
