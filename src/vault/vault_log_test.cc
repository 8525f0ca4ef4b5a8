// The vault's log: every saved version becomes a leaf, in the same durable step, and
// `CheckEverything` (izde verify --vault) names whatever was changed, removed or rolled
// back (THREATS.md P4).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "ledger/checkpoint.h"
#include "ledger/note.h"
#include "ledger/test_tsa.h"
#include "vault/field_commitments.h"
#include "vault/test_vault_dir.h"
#include "vault/vault.h"

namespace izde::vault {
namespace {

namespace fs = std::filesystem;
constexpr const char* kPass = "correct horse battery staple";

VaultOptions Fast(bool inspect = false) {
  VaultOptions o;
  o.kdf = KdfCost::kTestOnlyMinimum;
  o.inspect_only = inspect;
  return o;
}

model::Record Person(const std::string& id, const std::string& name,
                     const std::string& notes = "") {
  model::Record r{id, model::RecordType::kPerson, {{"names", {{{"text", name}}}}}};
  if (!notes.empty()) r.doc["notes"] = notes;
  return r;
}

std::unique_ptr<Vault> Open(const TestDir& dir, bool inspect = false) {
  auto v = Vault::Unlock(dir / "v", "admin", kPass, Fast(inspect));
  EXPECT_TRUE(v.ok()) << v.status().message();
  return v.ok() ? std::move(v).value() : nullptr;
}

// A small vault: two people (one with two versions) and an evidence file.
void Fill(const TestDir& dir) {
  ASSERT_TRUE(Vault::Create(dir / "v", "admin", kPass, Fast()).ok());
  auto v = Open(dir);
  ASSERT_TRUE(v->SaveAll({Person("P-1", "Aygul"), Person("P-2", "Nurlan")}).ok());
  ASSERT_TRUE(v->Save(Person("P-1", "Aygul", "detained 2018")).ok());
  std::ofstream(dir / "scan.pdf", std::ios::binary) << std::string(5000, 's');
  ASSERT_TRUE(v->AddEvidence(dir / "scan.pdf", {{"media_type", "application/pdf"}}, "E-1").ok());
}

std::string Problems(const VaultCheck& c) {
  std::string all;
  for (const auto& p : c.problems) all += p + "\n";
  return all;
}

void FlipByte(const fs::path& p, size_t from_end) {
  std::fstream f(p, std::ios::binary | std::ios::in | std::ios::out);
  f.seekg(0, std::ios::end);
  const auto size = static_cast<size_t>(f.tellg());
  f.seekp(static_cast<std::streamoff>(size - from_end));
  char c;
  f.seekg(static_cast<std::streamoff>(size - from_end));
  f.get(c);
  f.seekp(static_cast<std::streamoff>(size - from_end));
  f.put(static_cast<char>(c ^ 0x01));
}

void Sql(const TestDir& dir, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir / "v/vault.db").c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(db);
}

TEST(VaultLog, EveryVersionAndEvidenceFileIsALeafWithACheckpoint) {
  TestDir dir;
  Fill(dir);
  auto v = Open(dir);
  // P-1 v1, P-2 v1, P-1 v2, E-1 v1 and its file.
  EXPECT_EQ(v->log()->Size(), 5u);
  const auto* tip = v->log()->LatestRecord("P-1");
  ASSERT_NE(tip, nullptr);
  EXPECT_EQ(tip->version, 2u);
  ASSERT_NE(v->log()->LatestEvidence("E-1"), nullptr);
  auto note = v->log()->LatestCheckpoint();
  ASSERT_TRUE(note.ok());
  ledger::CheckpointPolicy policy{v->log()->verifier(), "", {}, 0};
  auto cp = ledger::VerifyCheckpoint(*note, policy);
  ASSERT_TRUE(cp.ok()) << cp.status().message();
  EXPECT_EQ(cp->checkpoint.size, 5u);
  EXPECT_EQ(cp->checkpoint.origin.rfind("izde.vault/", 0), 0u);
  // The latest leaf is the one recomputed from the decrypted version.
  auto latest = v->Get("P-1");
  auto entry = v->log()->log().Entry(tip->index);
  auto parsed = ledger::RecordLeaf::Parse(*entry);
  ASSERT_TRUE(parsed.ok());
  auto openings = v->Openings(*latest);
  ASSERT_TRUE(openings.ok());
  ledger::RedactedRecord redacted =
      ledger::Redact(*parsed, *openings, std::vector<std::string>{"notes"});
  ASSERT_EQ(redacted.revealed.size(), 1u);
  EXPECT_EQ(redacted.revealed[0].value, "detained 2018");
  auto leaf_hash = ledger::VerifyRedactedRecord(redacted);
  ASSERT_TRUE(leaf_hash.ok()) << leaf_hash.status().message();
  EXPECT_EQ(*leaf_hash, tip->leaf);
  auto check = v->CheckEverything();
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->problems.empty()) << Problems(*check);
  EXPECT_EQ(check->versions, 4u);
  EXPECT_EQ(check->blobs, 1u);
  EXPECT_GE(check->checkpoints, 4u);
}

TEST(VaultLog, SaltsAreDerivedPerRecordVersionAndField) {
  SecretKey a = SecretKey::Random(), b = SecretKey::Random();
  auto s = FieldSalt(a, "P-1", "person", 1, "names");
  EXPECT_EQ(s, FieldSalt(a, "P-1", "person", 1, "names"));
  EXPECT_NE(s, FieldSalt(a, "P-1", "person", 2, "names"));
  EXPECT_NE(s, FieldSalt(a, "P-1", "person", 1, "notes"));
  EXPECT_NE(s, FieldSalt(a, "P-2", "person", 1, "names"));
  EXPECT_NE(s, FieldSalt(b, "P-1", "person", 1, "names"));
  EXPECT_EQ(CanonicalValue("Aygul"), "Aygul");
  EXPECT_EQ(CanonicalValue(nlohmann::json::parse(R"({"b":1,"a":"x"})")), R"({"a":"x","b":1})");
}

// Store first, log second: a crash in between leaves versions the log lacks, and the
// next unlock rebuilds exactly the leaves that were lost.
TEST(VaultLog, UnlockCompletesALogInterruptedByACrash) {
  TestDir dir;
  Fill(dir);
  // Rebuilt leaves come in record id order, not the original batch order: only their
  // set is the same (they were never all lost together in a real crash, where only the
  // last, never checkpointed batch is missing).
  auto leaves = [](Vault& v) {
    std::vector<std::string> out;
    for (uint64_t i = 0; i < v.log()->Size(); ++i)
      out.push_back(ledger::HexOf(*v.log()->log().LeafHash(i)));
    std::sort(out.begin(), out.end());
    return out;
  };
  std::vector<std::string> before;
  {
    auto v = Open(dir);
    before = leaves(*v);
  }
  // The crash: the store committed, nothing of the log reached the disk.
  fs::remove_all(fs::path(dir / "v") / "log");
  {
    auto inspect = Vault::Unlock(dir / "v", "admin", kPass, Fast(true));
    EXPECT_FALSE(inspect.ok());
  }
  auto v = Open(dir);
  EXPECT_EQ(v->log()->Size(), 5u);
  EXPECT_EQ(leaves(*v), before);
  auto check = v->CheckEverything();
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->problems.empty()) << Problems(*check);
}

// A save chains each new version to its predecessor's leaf without reading the whole log:
// from log/tips.cache and the entries logged since. A cache that lies about a record is
// caught by the entry it names, and one that does not match the log is ignored; either
// way the chain is the log's (verify finds nothing).
TEST(VaultLog, SavesChainThroughTheTipsCacheAndAWrongCacheIsNotBelieved) {
  TestDir dir;
  Fill(dir);  // its saves read the whole log (no cache yet), so locking wrote the cache
  const fs::path cache = fs::path(dir / "v") / "log/tips.cache";
  ASSERT_TRUE(fs::exists(cache));
  const fs::path stale = dir / "tips.stale";
  fs::copy_file(cache, stale);
  auto verify_clean = [&] {
    auto v = Open(dir, true);
    auto check = v->CheckEverything();
    ASSERT_TRUE(check.ok()) << check.status().message();
    EXPECT_TRUE(check->problems.empty()) << Problems(*check);
  };
  {
    auto v = Open(dir);
    ASSERT_TRUE(v->SaveAll({Person("P-1", "Aygul", "released 2020"), Person("P-3", "Bolat")}).ok());
    EXPECT_FALSE(v->log()->tips_loaded());
    ASSERT_TRUE(v->Save(Person("P-1", "Aygul", "released 2021")).ok());
    EXPECT_FALSE(v->log()->tips_loaded());
    EXPECT_EQ(v->log()->LatestRecord("P-1")->version, 4u);
  }
  verify_clean();
  // An older cache (the log only grew since): the entries after it are read.
  fs::copy_file(stale, cache, fs::copy_options::overwrite_existing);
  {
    auto v = Open(dir);
    ASSERT_TRUE(v->Save(Person("P-1", "Aygul", "seen 2022")).ok());
    EXPECT_FALSE(v->log()->tips_loaded());
  }
  verify_clean();
  // A cache that names P-1's first leaf (entry 0) as P-2's: that entry is not P-2's, so
  // it is not believed and the whole log is read.
  std::string bytes;
  {
    std::ifstream in(stale, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  const size_t p2 = bytes.find("P-2");
  ASSERT_NE(p2, std::string::npos);
  ASSERT_EQ(bytes[p2 + 3], 1);      // version 1, little-endian
  ASSERT_EQ(bytes[p2 + 3 + 8], 1);  // leaf index 1
  bytes[p2 + 3 + 8] = 0;
  std::ofstream(cache, std::ios::binary | std::ios::trunc) << bytes;
  {
    auto v = Open(dir);
    ASSERT_TRUE(v->Save(Person("P-2", "Nurlan", "moved")).ok());
    EXPECT_TRUE(v->log()->tips_loaded());
    EXPECT_EQ(v->log()->LatestRecord("P-2")->version, 2u);
  }
  verify_clean();
  // A cache of another log (its root does not match): ignored.
  bytes[20] ^= 1;  // inside the root
  std::ofstream(cache, std::ios::binary | std::ios::trunc) << bytes;
  {
    auto v = Open(dir);
    ASSERT_TRUE(v->Save(Person("P-3", "Bolat", "moved")).ok());
    EXPECT_TRUE(v->log()->tips_loaded());
  }
  verify_clean();
  // Rewritten whole once the whole log was read: the next save uses it again.
  {
    auto v = Open(dir);
    ASSERT_TRUE(v->Save(Person("P-2", "Nurlan", "moved again")).ok());
    EXPECT_FALSE(v->log()->tips_loaded());
  }
  verify_clean();
}

void ExpectProblem(const TestDir& dir, const std::string& needle) {
  auto v = Vault::Unlock(dir / "v", "admin", kPass, Fast(true));
  std::string found;
  if (!v.ok()) {
    found = v.status().message();
  } else {
    auto check = (*v)->CheckEverything();
    found = check.ok() ? Problems(*check) : check.status().message();
  }
  EXPECT_NE(found.find(needle), std::string::npos) << "wanted '" << needle << "' in:\n" << found;
}

TEST(VaultLog, VerifyNamesAFlippedByteInAStoredVersion) {
  TestDir dir;
  Fill(dir);
  Sql(dir,
      "DROP TRIGGER versions_no_update; UPDATE versions SET sealed = "
      "substr(sealed, 1, length(sealed) - 3) || x'00' || substr(sealed, length(sealed) - 1) "
      "WHERE record_id = 'P-2';");
  ExpectProblem(dir, "record P-2 version 1");
}

TEST(VaultLog, VerifyNamesAFlippedByteInABlob) {
  TestDir dir;
  Fill(dir);
  for (const auto& e : fs::recursive_directory_iterator(fs::path(dir / "v") / "blobs"))
    if (e.is_regular_file()) FlipByte(e.path(), 10);
  ExpectProblem(dir, "evidence E-1 version 1: blob blobs/");
}

// Unlocking reads only the log's right edge, but that edge must give the root of the last
// checkpoint signed: an altered edge tile, or a log rolled back under its checkpoint, is
// refused before anything is appended (verify --vault names the tile).
TEST(VaultLog, UnlockRefusesALogThatNoLongerMatchesItsCheckpoint) {
  {
    TestDir dir;
    Fill(dir);
    FlipByte(fs::path(dir / "v") / "log/tile/0/000.p/5", 3);
    auto v = Vault::Unlock(dir / "v", "admin", kPass, Fast());
    ASSERT_FALSE(v.ok());
    EXPECT_NE(v.status().message().find("tile/entries/000.p/5: entry 4 differs"), std::string::npos)
        << v.status().message();
  }
  {
    // Rewritten whole and consistently (entries reordered, every tile recomputed): only
    // the signed checkpoint tells.
    TestDir dir;
    Fill(dir);
    const fs::path log = fs::path(dir / "v") / "log";
    std::vector<std::vector<uint8_t>> entries;
    {
      auto original = ledger::Log::Open(log, ledger::Log::Mode::kReadOnly);
      ASSERT_TRUE(original.ok()) << original.status().message();
      ASSERT_TRUE(original
                      ->ForEachEntry([&](uint64_t, const std::vector<uint8_t>& e) {
                        entries.push_back(e);
                        return Status::Ok();
                      })
                      .ok());
    }
    std::swap(entries[0], entries[1]);
    const fs::path forged = fs::path(dir / "forged");
    auto rewritten = ledger::Log::Create(forged);
    ASSERT_TRUE(rewritten.ok()) << rewritten.status().message();
    for (const auto& e : entries) ASSERT_TRUE(rewritten->Append(e).ok());
    ASSERT_TRUE(rewritten->Commit().ok());
    fs::remove_all(log / "tile");
    fs::copy(forged / "tile", log / "tile", fs::copy_options::recursive);
    auto v = Vault::Unlock(dir / "v", "admin", kPass, Fast());
    ASSERT_FALSE(v.ok());
    EXPECT_NE(v.status().message().find("no longer matches its latest checkpoint"),
              std::string::npos)
        << v.status().message();
  }
  {
    TestDir dir;
    Fill(dir);
    const fs::path log = fs::path(dir / "v") / "log";
    fs::remove(log / "tile/0/000.p/5");
    fs::remove(log / "tile/entries/000.p/5");
    auto v = Vault::Unlock(dir / "v", "admin", kPass, Fast());
    ASSERT_FALSE(v.ok());
    EXPECT_NE(v.status().message().find("rolled back"), std::string::npos) << v.status().message();
  }
}

TEST(VaultLog, VerifyNamesAFlippedByteInATile) {
  TestDir dir;
  Fill(dir);
  FlipByte(fs::path(dir / "v") / "log/tile/0/000.p/5", 3);
  ExpectProblem(dir, "tile/0/000.p/5");
}

TEST(VaultLog, VerifyNamesAFlippedByteInACheckpoint) {
  TestDir dir;
  Fill(dir);
  FlipByte(fs::path(dir / "v") / "log/checkpoint", 5);
  ExpectProblem(dir, "log/checkpoint");
}

TEST(VaultLog, VerifyDetectsARemovedVersion) {
  TestDir dir;
  Fill(dir);
  Sql(dir,
      "DROP TRIGGER versions_no_delete; DELETE FROM versions WHERE record_id = 'P-1' AND version = "
      "2;");
  ExpectProblem(dir, "(record P-1 version 2) has no version in the store: it was removed");
}

TEST(VaultLog, VerifyDetectsALogRolledBack) {
  TestDir dir;
  Fill(dir);
  // Back to 3 entries: the tiles of a 3-entry log, the newer ones gone.
  const fs::path log = fs::path(dir / "v") / "log";
  fs::remove(log / "tile/0/000.p/5");
  fs::remove(log / "tile/entries/000.p/5");
  fs::remove(log / "tile/0/000.p/4");
  fs::remove(log / "tile/entries/000.p/4");
  fs::copy_file(log / "checkpoints/00000000000000000003", log / "checkpoint",
                fs::copy_options::overwrite_existing);
  ExpectProblem(dir, "it was rolled back");
}

// An attacker who rewrites the whole log consistently (entries reordered, every tile
// recomputed) still cannot match the checkpoints the vault signed.
TEST(VaultLog, VerifyDetectsReorderedEntriesInARecomputedLog) {
  TestDir dir;
  Fill(dir);
  const fs::path log = fs::path(dir / "v") / "log";
  std::vector<std::vector<uint8_t>> entries;
  {
    auto original = ledger::Log::Open(log, ledger::Log::Mode::kReadOnly);
    ASSERT_TRUE(original.ok()) << original.status().message();
    ASSERT_TRUE(original
                    ->ForEachEntry([&](uint64_t, const std::vector<uint8_t>& e) {
                      entries.push_back(e);
                      return Status::Ok();
                    })
                    .ok());
  }
  ASSERT_GE(entries.size(), 3u);
  std::swap(entries[0], entries[1]);
  const fs::path forged = fs::path(dir / "forged");
  auto rewritten = ledger::Log::Create(forged);
  ASSERT_TRUE(rewritten.ok()) << rewritten.status().message();
  for (const auto& e : entries) ASSERT_TRUE(rewritten->Append(e).ok());
  ASSERT_TRUE(rewritten->Commit().ok());
  fs::remove_all(log / "tile");
  fs::copy(forged / "tile", log / "tile", fs::copy_options::recursive);
  ExpectProblem(dir, "the log no longer matches this checkpoint");
}

// With a timestamp authority, every checkpoint gets a token that verify --vault checks.
TEST(VaultLog, TimestampsAreStoredAndAFlippedTokenIsNamed) {
  ledger::testing::LocalTsa tsa;
  ASSERT_TRUE(tsa.ok()) << "the local openssl ts authority did not start";
  TestDir dir;
  ASSERT_TRUE(Vault::Create(dir / "v", "admin", kPass, Fast()).ok());
  {
    auto v = Open(dir);
    ASSERT_TRUE(v->log()->SetTimestampAuthority(tsa.url(), tsa.RootPem()).ok());
    ASSERT_TRUE(v->Save(Person("P-1", "Aygul")).ok());
    ASSERT_TRUE(v->Save(Person("P-2", "Nurlan")).ok());
    EXPECT_TRUE(v->log()->timestamp_problem().empty()) << v->log()->timestamp_problem();
    EXPECT_FALSE(v->log()->TimestampToken(v->log()->Size())->empty());
    // Offline: the write succeeds, the checkpoint stays unstamped, and the reason is kept.
    ASSERT_TRUE(v->log()->SetTimestampAuthority("http://127.0.0.1:1/tsa", tsa.RootPem()).ok());
    ASSERT_TRUE(v->Save(Person("P-3", "Bolat")).ok());
    EXPECT_NE(v->log()->timestamp_problem().find("did not answer"), std::string::npos)
        << v->log()->timestamp_problem();
    EXPECT_TRUE(v->log()->TimestampToken(v->log()->Size())->empty());
    ASSERT_TRUE(v->log()->SetTimestampAuthority(tsa.url(), tsa.RootPem()).ok());
    ASSERT_TRUE(v->Checkpoint().ok());
    EXPECT_FALSE(v->log()->TimestampToken(v->log()->Size())->empty());
  }
  {
    auto v = Open(dir, true);
    auto check = v->CheckEverything();
    ASSERT_TRUE(check.ok()) << check.status().message();
    EXPECT_TRUE(check->problems.empty()) << Problems(*check);
    EXPECT_GE(check->timestamps, 3u);
  }
  FlipByte(fs::path(dir / "v") / "log/timestamps/00000000000000000002", 40);
  ExpectProblem(dir, "log/timestamps/00000000000000000002: ");
}

}  // namespace
}  // namespace izde::vault
