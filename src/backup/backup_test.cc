#include "backup/backup.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "backup/chunk_store.h"
#include "backup/snapshot.h"
#include "vault/test_vault_dir.h"

namespace izde::backup {
namespace {

namespace fs = std::filesystem;
using vault::TestDir;
using vault::Vault;
constexpr const char* kPass = "correct horse battery staple";

vault::VaultOptions Fast() {
  vault::VaultOptions o;
  o.kdf = vault::KdfCost::kTestOnlyMinimum;
  return o;
}

std::unique_ptr<Vault> Open(const std::string& dir) {
  auto v = Vault::Unlock(dir, "admin", kPass, Fast());
  EXPECT_TRUE(v.ok()) << v.status().message();
  return v.ok() ? std::move(v).value() : nullptr;
}

std::unique_ptr<Vault> MakeVault(const TestDir& dir) {
  EXPECT_TRUE(Vault::Create(dir / "v", "admin", kPass, Fast()).ok());
  return Open(dir / "v");
}

model::Record Person(const std::string& id, const std::string& name) {
  return {id, model::RecordType::kPerson, {{"names", {{{"text", name}}}}}};
}

std::string Slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

std::string AllProblems(const BackupCheck& c) {
  std::string s;
  for (const auto& p : c.problems) s += p + "\n";
  return s;
}

// A vault with people, a witness, a testimony and an evidence file.
void Fill(Vault& v, const TestDir& dir, int people) {
  std::vector<model::Record> batch;
  for (int i = 0; i < people; ++i)
    batch.push_back(Person("P-" + std::to_string(i), "Person " + std::to_string(i)));
  batch.push_back({"W-1", model::RecordType::kWitness, {{"name", "W"}, {"contact", "555-0100"}}});
  batch.push_back({"T-1", model::RecordType::kTestimony, {{"transcript", "a testimony"}}});
  ASSERT_TRUE(v.SaveAll(batch).ok());
  std::ofstream(dir / "scan.pdf", std::ios::binary) << std::string(200000, 'e');
  ASSERT_TRUE(v.AddEvidence(dir / "scan.pdf", {{"media_type", "application/pdf"}}, "E-1").ok());
}

std::string ChunkOfFile(const fs::path& backup, const std::string& prefix) {
  auto snaps = ListSnapshots(backup);
  auto s = OpenSnapshot(backup, snaps.back().first, snaps.back().second, std::nullopt);
  EXPECT_TRUE(s.ok());
  for (const auto& f : s->manifest.files)
    if (f.path.starts_with(prefix) && !f.chunks.empty()) return f.chunks[0];
  return "";
}

// THREATS.md P9: backup, wipe, restore, and the restored vault is the vault.
TEST(Backup, RoundTripAfterWipe) {
  TestDir dir;
  {
    auto v = MakeVault(dir);
    Fill(*v, dir, 50);
    ASSERT_TRUE(v->Save(Person("P-1", "Person 1, second version")).ok());
    auto r = Backup(*v, dir / "backup");
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(r->snapshot, 1u);
    EXPECT_FALSE(r->incremental);
    EXPECT_EQ(r->total_versions, 54u);
  }
  auto check = VerifyBackup(dir / "backup");
  ASSERT_TRUE(check.ok()) << check.status().message();
  EXPECT_TRUE(check->problems.empty()) << AllProblems(*check);
  EXPECT_EQ(check->versions, 54u);
  EXPECT_EQ(check->records, 53u);
  EXPECT_GE(check->log_entries, 55u);  // 54 versions + the evidence leaf

  fs::remove_all(dir / "v");
  auto restored = Restore(dir / "backup", dir / "v2");
  ASSERT_TRUE(restored.ok()) << restored.status().message();
  EXPECT_EQ(restored->versions, 54u);
  EXPECT_FALSE(fs::exists(dir / "v2.restoring"));
  auto v = Open(dir / "v2");
  ASSERT_TRUE(v);
  auto p1 = v->History("P-1");
  ASSERT_TRUE(p1.ok());
  ASSERT_EQ(p1->size(), 2u);
  EXPECT_EQ((*p1)[1].record.doc["names"][0]["text"], "Person 1, second version");
  auto w = v->Get("W-1");
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->record.doc["contact"], "555-0100");
  ASSERT_TRUE(v->ExtractEvidence("E-1", dir / "out.pdf").ok());
  EXPECT_EQ(Slurp(dir / "out.pdf"), std::string(200000, 'e'));
  auto hits = v->Search("Person 7");
  ASSERT_TRUE(hits.ok());
  EXPECT_FALSE(hits->empty());
  auto all = v->CheckEverything();
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->problems.empty()) << all->problems.front();
  // The restored vault keeps working, and its log goes on from where it was.
  ASSERT_TRUE(v->Save(Person("P-new", "After the restore")).ok());
  auto again = v->CheckEverything();
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->problems.empty()) << again->problems.front();
}

// A file larger than one chunk (4 MiB) is restored piece by piece; a missing middle
// piece is named and leaves no vault behind.
TEST(Backup, RestoreStreamsAFileOfManyChunks) {
  TestDir dir;
  std::string video(9 * 1024 * 1024 + 12345, '\0');
  for (size_t i = 0; i < video.size(); ++i) video[i] = static_cast<char>((i * 2654435761u) >> 13);
  std::ofstream(dir / "video.mp4", std::ios::binary) << video;
  {
    auto v = MakeVault(dir);
    ASSERT_TRUE(v->AddEvidence(dir / "video.mp4", {{"media_type", "video/mp4"}}, "E-9").ok());
    ASSERT_TRUE(Backup(*v, dir / "backup").ok());
  }
  auto snaps = ListSnapshots(dir / "backup");
  auto snap = OpenSnapshot(dir / "backup", snaps.back().first, snaps.back().second, std::nullopt);
  ASSERT_TRUE(snap.ok());
  const FileEntry* blob = nullptr;
  for (const auto& f : snap->manifest.files)
    if (f.path.starts_with("blobs/")) blob = &f;
  ASSERT_TRUE(blob);
  ASSERT_EQ(blob->chunks.size(), 3u);
  auto restored = Restore(dir / "backup", dir / "v2");
  ASSERT_TRUE(restored.ok()) << restored.status().message();
  {
    auto v = Open(dir / "v2");
    ASSERT_TRUE(v);
    ASSERT_TRUE(v->ExtractEvidence("E-9", dir / "out.mp4").ok());
    EXPECT_TRUE(Slurp(dir / "out.mp4") == video);
  }
  const std::string middle = blob->chunks[1];
  fs::remove(ChunkStore(dir / "backup").PathOf(middle));
  auto broken = Restore(dir / "backup", dir / "v3");
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.status().message().find(blob->path + ", part 2 of 3"), std::string::npos)
      << broken.status().message();
  EXPECT_FALSE(fs::exists(dir / "v3"));
}

TEST(Backup, RestoreRefusesANonEmptyTarget) {
  TestDir dir;
  auto v = MakeVault(dir);
  ASSERT_TRUE(Backup(*v, dir / "backup").ok());
  auto r = Restore(dir / "backup", dir / "v");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kAlreadyExists);
  EXPECT_NE(r.status().message().find("not empty"), std::string::npos);
}

TEST(Backup, IncrementalWritesOnlyWhatChanged) {
  TestDir dir;
  auto v = MakeVault(dir);
  Fill(*v, dir, 300);
  auto first = Backup(*v, dir / "backup");
  ASSERT_TRUE(first.ok()) << first.status().message();
  std::vector<model::Record> edits;
  for (int i = 0; i < 10; ++i)
    edits.push_back(Person("P-" + std::to_string(i), "Edited " + std::to_string(i)));
  ASSERT_TRUE(v->SaveAll(edits).ok());
  auto second = Backup(*v, dir / "backup");
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_TRUE(second->incremental);
  EXPECT_EQ(second->snapshot, 2u);
  EXPECT_EQ(second->new_versions, 10u);
  EXPECT_EQ(second->total_versions, first->total_versions + 10);
  // One versions pack, the keys, the log's changed tiles and checkpoints, the manifest:
  // not the evidence file, not the old versions.
  EXPECT_LT(second->chunks_written, 16u);
  EXPECT_LT(second->bytes_written, first->bytes_written / 4);
  auto nothing = Backup(*v, dir / "backup");
  ASSERT_TRUE(nothing.ok());
  EXPECT_EQ(nothing->new_versions, 0u);

  auto check = VerifyBackup(dir / "backup");
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->problems.empty()) << AllProblems(*check);
  EXPECT_EQ(check->snapshots, 3u);

  // Any snapshot can be restored: the first one holds the vault before the edits.
  RestoreOptions old;
  old.snapshot = 1;
  ASSERT_TRUE(Restore(dir / "backup", dir / "old", old).ok());
  ASSERT_TRUE(Restore(dir / "backup", dir / "new").ok());
  auto o = Open(dir / "old");
  auto n = Open(dir / "new");
  ASSERT_TRUE(o && n);
  EXPECT_EQ(o->Get("P-3")->record.doc["names"][0]["text"], "Person 3");
  EXPECT_EQ(n->Get("P-3")->record.doc["names"][0]["text"], "Edited 3");
  auto all = n->CheckEverything();
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->problems.empty()) << all->problems.front();
}

// A run that fails midway (here: a write error injected at the 3rd chunk) leaves the
// previous snapshot whole and usable.
TEST(Backup, FailureMidwayLeavesThePreviousBackupIntact) {
  TestDir dir;
  auto v = MakeVault(dir);
  Fill(*v, dir, 40);
  ASSERT_TRUE(Backup(*v, dir / "backup").ok());
  for (int i = 0; i < 40; ++i)
    ASSERT_TRUE(v->Save(Person("P-" + std::to_string(i), "Changed")).ok());
  for (const char* step : {"chunk 1", "chunk 3", "snapshot"}) {
    BackupOptions o;
    o.before_write = [&](const std::string& s) {
      return s == step ? Status::Io("injected failure at " + s) : Status::Ok();
    };
    auto r = Backup(*v, dir / "backup", o);
    ASSERT_FALSE(r.ok()) << step;
    EXPECT_EQ(ListSnapshots(dir / "backup").size(), 1u) << step;
    auto check = VerifyBackup(dir / "backup");
    ASSERT_TRUE(check.ok());
    EXPECT_TRUE(check->problems.empty()) << step << ": " << AllProblems(*check);
  }
  ASSERT_TRUE(Restore(dir / "backup", dir / "r1").ok());
  EXPECT_EQ(Open(dir / "r1")->Get("P-5")->record.doc["names"][0]["text"], "Person 5");
  // The next run completes, and the restored vault has the changes.
  auto r = Backup(*v, dir / "backup");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->snapshot, 2u);
  ASSERT_TRUE(Restore(dir / "backup", dir / "r2").ok());
  EXPECT_EQ(Open(dir / "r2")->Get("P-5")->record.doc["names"][0]["text"], "Changed");
}

// The same with a real death: a child process is killed (SIGKILL) while it writes chunks.
// A chunk left damaged by the dead run is detected and rewritten by the next one.
TEST(Backup, KilledMidwayLeavesThePreviousBackupIntact) {
  TestDir dir;
  {
    auto v = MakeVault(dir);
    Fill(*v, dir, 40);
    ASSERT_TRUE(Backup(*v, dir / "backup").ok());
    for (int i = 0; i < 40; ++i)
      ASSERT_TRUE(v->Save(Person("P-" + std::to_string(i), "Changed")).ok());
  }
  std::string written_first;
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto v = Vault::Unlock(dir / "v", "admin", kPass, Fast());
    if (!v.ok()) ::_exit(2);
    BackupOptions o;
    o.before_write = [](const std::string& s) {
      if (s == "chunk 3") ::kill(::getpid(), SIGKILL);
      return Status::Ok();
    };
    (void)Backup(**v, dir / "backup", o);
    ::_exit(3);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the child was meant to die by SIGKILL";
  EXPECT_EQ(ListSnapshots(dir / "backup").size(), 1u);
  auto check = VerifyBackup(dir / "backup");
  ASSERT_TRUE(check.ok());
  EXPECT_TRUE(check->problems.empty()) << AllProblems(*check);
  // Damage every chunk the dead run left (as a power cut could): none is named by a
  // snapshot, so the next run must not trust them.
  auto snaps = ListSnapshots(dir / "backup");
  auto s = OpenSnapshot(dir / "backup", snaps[0].first, snaps[0].second, std::nullopt);
  ASSERT_TRUE(s.ok());
  std::set<std::string> named{s->manifest_hash, s->manifest.keys};
  for (const auto& p : s->manifest.versions) named.insert(p.chunk);
  for (const auto& f : s->manifest.files) named.insert(f.chunks.begin(), f.chunks.end());
  int damaged = 0;
  for (const auto& e : fs::recursive_directory_iterator(fs::path(dir / "backup") / kChunkDir))
    if (e.is_regular_file() && !named.count(e.path().filename().string())) {
      fs::resize_file(e.path(), 1);
      ++damaged;
    }
  EXPECT_GE(damaged, 2);
  auto v = Open(dir / "v");
  auto r = Backup(*v, dir / "backup");
  ASSERT_TRUE(r.ok()) << r.status().message();
  auto after = VerifyBackup(dir / "backup");
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->problems.empty()) << AllProblems(*after);
  ASSERT_TRUE(Restore(dir / "backup", dir / "r").ok());
  EXPECT_EQ(Open(dir / "r")->Get("P-5")->record.doc["names"][0]["text"], "Changed");
}

TEST(Backup, VerifyNamesTheDamagedOrMissingChunk) {
  TestDir dir;
  auto v = MakeVault(dir);
  Fill(*v, dir, 20);
  ASSERT_TRUE(Backup(*v, dir / "backup").ok());
  ChunkStore chunks(dir / "backup");
  std::string blob_chunk = ChunkOfFile(dir / "backup", "blobs/");
  std::string tile_chunk = ChunkOfFile(dir / "backup", "log/tile/");
  ASSERT_FALSE(blob_chunk.empty());
  ASSERT_FALSE(tile_chunk.empty());
  {
    // Flip the byte rather than write a fixed one: the chunk is ciphertext, so a fixed
    // byte would already be there one time in 256.
    std::fstream f(chunks.PathOf(blob_chunk), std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(100);
    char c = static_cast<char>(f.get());
    f.seekp(100);
    f.put(static_cast<char>(c ^ 0x5a));
  }
  fs::remove(chunks.PathOf(tile_chunk));
  auto check = VerifyBackup(dir / "backup");
  ASSERT_TRUE(check.ok());
  std::string all = AllProblems(*check);
  EXPECT_NE(all.find("chunk " + blob_chunk + " (blobs/"), std::string::npos) << all;
  EXPECT_NE(all.find("is damaged"), std::string::npos) << all;
  EXPECT_NE(all.find("chunk " + tile_chunk + " (log/tile/"), std::string::npos) << all;
  EXPECT_NE(all.find("is missing"), std::string::npos) << all;
  // A restore stops at the damage, naming it, and leaves no vault behind.
  auto r = Restore(dir / "backup", dir / "r");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("chunk "), std::string::npos) << r.status().message();
  EXPECT_FALSE(fs::exists(dir / "r"));
}

TEST(Backup, VerifyDetectsATamperedSnapshotAndAForeignKey) {
  TestDir dir;
  auto v = MakeVault(dir);
  Fill(*v, dir, 5);
  ASSERT_TRUE(Backup(*v, dir / "backup").ok());
  ASSERT_TRUE(v->Save(Person("P-1", "again")).ok());
  ASSERT_TRUE(Backup(*v, dir / "backup").ok());
  // Another vault's key, pinned: nothing verifies.
  ASSERT_TRUE(Vault::Create(dir / "other", "admin", kPass, Fast()).ok());
  auto ov = Open(dir / "other");
  VerifyOptions pinned;
  pinned.log_key = ov->log()->verifier();
  auto foreign = VerifyBackup(dir / "backup", pinned);
  ASSERT_TRUE(foreign.ok());
  ASSERT_EQ(foreign->problems.size(), 2u) << AllProblems(*foreign);
  EXPECT_NE(foreign->problems[0].find("another log key"), std::string::npos);
  // And a backup of another vault into this directory is refused.
  auto mixed = Backup(*ov, dir / "backup");
  ASSERT_FALSE(mixed.ok());
  EXPECT_NE(mixed.status().message().find("another vault"), std::string::npos)
      << mixed.status().message();
  // Swapping the two snapshot files is detected.
  auto snaps = ListSnapshots(dir / "backup");
  fs::rename(snaps[0].second, dir / "tmp");
  fs::rename(snaps[1].second, snaps[0].second);
  fs::rename(dir / "tmp", snaps[1].second);
  auto swapped = VerifyBackup(dir / "backup");
  ASSERT_TRUE(swapped.ok());
  EXPECT_NE(AllProblems(*swapped).find("renamed or swapped"), std::string::npos);
}

// THREATS.md P1 for backups: the backup directory holds no plaintext.
TEST(Backup, NoCanaryReachesTheBackup) {
  TestDir dir;
  const std::vector<std::string> canaries = {
      "Canarybek Zhumagaliuly", "Канарейка Жұмағалиқызы",        "كانارىيە تۇرسۇن",
      "金丝雀买买提",           "the canary testimony sentence", "witness canary phone 555-0142",
      "EVIDENCE-CANARY-BYTES"};
  auto v = MakeVault(dir);
  std::vector<model::Record> batch;
  for (int i = 0; i < 4; ++i) batch.push_back(Person("P-" + std::to_string(i), canaries[i]));
  batch.push_back({"T-1", model::RecordType::kTestimony, {{"transcript", canaries[4]}}});
  batch.push_back({"W-1", model::RecordType::kWitness, {{"name", "W"}, {"contact", canaries[5]}}});
  ASSERT_TRUE(v->SaveAll(batch).ok());
  std::ofstream(dir / "scan.pdf", std::ios::binary) << std::string(1000, 'x') + canaries[6];
  ASSERT_TRUE(v->AddEvidence(dir / "scan.pdf", {{"media_type", "application/pdf"}}).ok());
  ASSERT_TRUE(Backup(*v, dir / "backup").ok());
  ASSERT_TRUE(v->Save(Person("P-9", canaries[1] + " second")).ok());
  ASSERT_TRUE(Backup(*v, dir / "backup").ok());
  int files = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir / "backup")) {
    if (!e.is_regular_file()) continue;
    ++files;
    std::string bytes = Slurp(e.path());
    for (const auto& c : canaries) {
      EXPECT_EQ(bytes.find(c), std::string::npos) << c << " in " << e.path();
      std::string utf16le;
      for (unsigned char ch : c) utf16le += static_cast<char>(ch), utf16le += '\0';
      if (std::all_of(c.begin(), c.end(), [](unsigned char ch) { return ch < 0x80; })) {
        EXPECT_EQ(bytes.find(utf16le), std::string::npos) << c << " (UTF-16) in " << e.path();
      }
    }
  }
  EXPECT_GT(files, 5);
}

}  // namespace
}  // namespace izde::backup
