#include "vault/vault.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unicode/unistr.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "vault/fault_points.h"
#include "vault/field_cipher.h"
#include "vault/test_vault_dir.h"

namespace izde::vault {
namespace {

namespace fs = std::filesystem;
constexpr const char* kPass = "correct horse battery staple";

VaultOptions Fast() {
  VaultOptions o;
  o.kdf = KdfCost::kTestOnlyMinimum;
  return o;
}

std::unique_ptr<Vault> MakeVault(const TestDir& dir) {
  EXPECT_TRUE(Vault::Create(dir / "v", "admin", kPass, Fast()).ok());
  auto v = Vault::Unlock(dir / "v", "admin", kPass, Fast());
  EXPECT_TRUE(v.ok()) << v.status().message();
  return v.ok() ? std::move(v).value() : nullptr;
}

model::Record Person(const std::string& id, const std::string& name,
                     const std::string& notes = "") {
  model::Record r{id, model::RecordType::kPerson, {{"names", {{{"text", name}}}}}};
  if (!notes.empty()) r.doc["notes"] = notes;
  return r;
}

std::string Slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

std::u16string Utf16(const std::string& s) {
  std::u16string out;
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(s);
  for (int i = 0; i < u.length(); ++i) out += static_cast<char16_t>(u.charAt(i));
  return out;
}

TEST(Vault, CreateUnlockAndWrongPassphrase) {
  TestDir dir;
  ASSERT_TRUE(Vault::Create(dir / "v", "admin", kPass, Fast()).ok());
  EXPECT_EQ(Vault::Create(dir / "v", "admin", kPass, Fast()).code(), Status::Code::kAlreadyExists);
  auto bad = Vault::Unlock(dir / "v", "admin", "not the passphrase", Fast());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "wrong passphrase for user 'admin'");
  auto nouser = Vault::Unlock(dir / "v", "zhanar", kPass, Fast());
  ASSERT_FALSE(nouser.ok());
  EXPECT_NE(nouser.status().message().find("its users: admin"), std::string::npos);
  auto missing = Vault::Unlock(dir / "nowhere", "admin", kPass, Fast());
  EXPECT_NE(missing.status().message().find("izde init"), std::string::npos);
  EXPECT_EQ(Vault::Create(dir / "w", "admin", "short", Fast()).code(), Status::Code::kInvalidInput);
}

TEST(Vault, SavesVersionsAndKeepsHistory) {
  TestDir dir;
  auto v = MakeVault(dir);
  ASSERT_TRUE(v);
  EXPECT_EQ(*v->Save(Person("P-1", "Қалида Ақытхан")), 1);
  EXPECT_EQ(*v->Save(Person("P-1", "Қалида Ақытхан", "detained 2018")), 2);
  // Saving the same content again writes nothing new.
  EXPECT_EQ(*v->Save(Person("P-1", "Қалида Ақытхан", "detained 2018")), 2);
  auto got = v->Get("P-1");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->record.doc["notes"], "detained 2018");
  EXPECT_EQ(got->record.doc["names"][0]["script"], "Cyrl");
  EXPECT_EQ(got->author, "admin");
  auto hist = v->History("P-1");
  ASSERT_TRUE(hist.ok());
  ASSERT_EQ(hist->size(), 2u);
  EXPECT_FALSE((*hist)[0].record.doc.contains("notes"));
  // A record cannot change type.
  model::Record e{"P-1", model::RecordType::kFacility, {{"names", {{{"text", "x"}}}}}};
  EXPECT_FALSE(v->Save(e).ok());
}

TEST(Vault, SaveAllIsAllOrNothing) {
  TestDir dir;
  auto v = MakeVault(dir);
  std::vector<model::Record> batch = {Person("P-1", "Aygul"), Person("P-2", "Nurlan"),
                                      Person("P-3", "")};
  auto r = v->SaveAll(batch);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("person P-3"), std::string::npos) << r.status().message();
  EXPECT_FALSE(v->Exists("P-1"));
  EXPECT_TRUE(v->Search("Aygul")->empty());
}

TEST(Vault, IndexIsRebuiltAtUnlockAndSearchFindsEveryScript) {
  TestDir dir;
  {
    auto v = MakeVault(dir);
    ASSERT_TRUE(v->SaveAll({Person("P-1", "Қалида Ақытхан"), Person("P-2", "ئىلھام توختى"),
                            Person("P-3", "阿克提汗")})
                    .ok());
  }
  auto v = Vault::Unlock(dir / "v", "admin", kPass, Fast());
  ASSERT_TRUE(v.ok());
  EXPECT_EQ((*v)->Search("Ақытхан")->at(0).id, "P-1");
  EXPECT_EQ((*v)->Search("توختى")->at(0).id, "P-2");
  EXPECT_EQ((*v)->Search("阿克提汗")->at(0).id, "P-3");
  auto sum = (*v)->Summary();
  EXPECT_EQ(sum->records_by_type["person"], 3);
  EXPECT_EQ(sum->indexed, 3);
}

// The sealed index cache speeds up unlock but is never the truth: changes made
// after it was written are caught up, and a damaged cache is rebuilt.
TEST(Vault, IndexCacheCatchesUpAndSurvivesDamage) {
  TestDir dir;
  {
    auto v = MakeVault(dir);
    ASSERT_TRUE(
        v->SaveAll({Person("P-1", "Aygul Serikqyzy"), Person("P-2", "Nurlan Omarov")}).ok());
  }
  fs::path cache = fs::path(dir / "v") / "index.cache";
  ASSERT_TRUE(fs::exists(cache));
  {
    // Written by one session: P-1 renamed and P-3 added; the cache predates both.
    auto v = Vault::Unlock(dir / "v", "admin", kPass, Fast());
    ASSERT_TRUE(v.ok());
    ASSERT_TRUE((*v)->Save(Person("P-1", "Dinara Serikqyzy")).ok());
    ASSERT_TRUE((*v)->Save(Person("P-3", "Erlan Tursunov")).ok());
  }
  auto v = Vault::Unlock(dir / "v", "admin", kPass, Fast());
  ASSERT_TRUE(v.ok());
  EXPECT_EQ((*v)->Search("Erlan")->size(), 1u);
  EXPECT_EQ((*v)->Search("Dinara")->size(), 1u);
  EXPECT_TRUE((*v)->Search("Aygul")->empty());
  EXPECT_EQ((*v)->Summary()->indexed, 3);
  v->reset();
  // Damage the cache: unlock rebuilds from the records.
  {
    std::fstream f(cache, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(60);
    f.put('\x42');
  }
  auto again = Vault::Unlock(dir / "v", "admin", kPass, Fast());
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ((*again)->Search("Erlan")->size(), 1u);
  EXPECT_EQ((*again)->Summary()->indexed, 3);
}

// XChaCha20-Poly1305 that counts what it opens: to see which unlocks decrypt records.
class CountingCipher : public XChaChaCipher {
 public:
  Status Open(const uint8_t* key, const uint8_t* sealed, size_t size, std::string_view ad,
              std::string& plain) const override {
    ++opened;
    return XChaChaCipher::Open(key, sealed, size, ad, plain);
  }
  Status OpenKey(const uint8_t* kek, const uint8_t* sealed, size_t size, std::string_view ad,
                 uint8_t* key) const override {
    ++opened;
    return XChaChaCipher::OpenKey(kek, sealed, size, ad, key);
  }
  mutable std::atomic<int> opened{0};
};

// `izde backup` unlocks without the search index: no record is decrypted, nothing can
// be searched, and what is saved meanwhile is indexed by the next ordinary unlock.
TEST(Vault, UnlockWithoutTheIndexDecryptsNoRecord) {
  TestDir dir;
  CountingCipher cipher;
  VaultOptions o = Fast();
  o.cipher = &cipher;
  ASSERT_TRUE(Vault::Create(dir / "v", "admin", kPass, o).ok());
  {
    auto v = Vault::Unlock(dir / "v", "admin", kPass, o);
    ASSERT_TRUE(v.ok());
    ASSERT_TRUE(
        (*v)->SaveAll({Person("P-1", "Aygul Serikqyzy"), Person("P-2", "Nurlan Omarov")}).ok());
  }
  fs::remove(fs::path(dir / "v") / "index.cache");  // else the cache, not records, is read
  o.search_index = false;
  cipher.opened = 0;
  auto v = Vault::Unlock(dir / "v", "admin", kPass, o);
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(cipher.opened.load(), 0);
  auto found = (*v)->Search("Aygul");
  ASSERT_FALSE(found.ok());
  EXPECT_NE(found.status().message().find("without its search index"), std::string::npos);
  EXPECT_EQ((*v)->Summary()->indexed, 0);
  EXPECT_TRUE((*v)->log() != nullptr && (*v)->store() != nullptr);
  ASSERT_TRUE((*v)->Save(Person("P-3", "Erlan Tursunov")).ok());
  EXPECT_EQ((*v)->log()->Size(), 3u);
  v->reset();
  EXPECT_FALSE(fs::exists(fs::path(dir / "v") / "index.cache"));
  o.search_index = true;
  auto again = Vault::Unlock(dir / "v", "admin", kPass, o);
  ASSERT_TRUE(again.ok());
  EXPECT_GT(cipher.opened.load(), 0);
  EXPECT_EQ((*again)->Search("Erlan")->size(), 1u);
  EXPECT_EQ((*again)->Summary()->indexed, 3);
}

TEST(Vault, WitnessTierCanBeWithheld) {
  TestDir dir;
  auto v = MakeVault(dir);
  ASSERT_TRUE(v->has_witness_key());
  ASSERT_TRUE(v->Save({"W-1", model::RecordType::kWitness, {{"name", "Zhanar"}}}).ok());
  ASSERT_TRUE(
      v->AddUser("volunteer", "another long passphrase", false, KdfCost::kTestOnlyMinimum).ok());
  ASSERT_TRUE(
      v->AddUser("reviewer", "a third long passphrase", true, KdfCost::kTestOnlyMinimum).ok());
  v.reset();
  auto vol = Vault::Unlock(dir / "v", "volunteer", "another long passphrase", Fast());
  ASSERT_TRUE(vol.ok());
  EXPECT_FALSE((*vol)->has_witness_key());
  EXPECT_EQ((*vol)->Get("W-1").status().code(), Status::Code::kPermissionDenied);
  EXPECT_EQ((*vol)->Summary()->records_by_type.count("witness"), 0u);
  EXPECT_EQ((*vol)->Save({"W-2", model::RecordType::kWitness, {{"name", "X"}}}).status().code(),
            Status::Code::kPermissionDenied);
  EXPECT_EQ((*vol)->AddUser("x", "yet another passphrase", true).code(),
            Status::Code::kPermissionDenied);
  vol->reset();
  auto rev = Vault::Unlock(dir / "v", "reviewer", "a third long passphrase", Fast());
  ASSERT_TRUE(rev.ok());
  EXPECT_EQ((*rev)->Get("W-1")->record.doc["name"], "Zhanar");
}

TEST(Vault, UsersShareTheMasterKeyAndCanBeRemoved) {
  TestDir dir;
  auto v = MakeVault(dir);
  ASSERT_TRUE(v->Save(Person("P-1", "Aygul")).ok());
  ASSERT_TRUE(v->AddUser("zhanar", "zhanar's passphrase", true, KdfCost::kTestOnlyMinimum).ok());
  EXPECT_EQ(v->AddUser("zhanar", "zhanar's passphrase", true).code(), Status::Code::kAlreadyExists);
  ASSERT_TRUE(v->ChangePassphrase("a brand new passphrase", KdfCost::kTestOnlyMinimum).ok());
  v.reset();
  EXPECT_FALSE(Vault::Unlock(dir / "v", "admin", kPass, Fast()).ok());
  auto z = Vault::Unlock(dir / "v", "zhanar", "zhanar's passphrase", Fast());
  ASSERT_TRUE(z.ok());
  EXPECT_EQ((*z)->Get("P-1")->record.doc["names"][0]["text"], "Aygul");
  ASSERT_TRUE((*z)->RemoveUser("admin").ok());
  z->reset();
  EXPECT_EQ(Vault::Unlock(dir / "v", "admin", "a brand new passphrase", Fast()).status().code(),
            Status::Code::kNotFound);
}

TEST(Vault, LockWipesAccess) {
  TestDir dir;
  auto v = MakeVault(dir);
  ASSERT_TRUE(v->Save(Person("P-1", "Aygul")).ok());
  v->Lock();
  EXPECT_EQ(v->Get("P-1").status().code(), Status::Code::kLocked);
  EXPECT_EQ(v->Search("Aygul").status().code(), Status::Code::kLocked);
  EXPECT_EQ(v->Save(Person("P-2", "Nurlan")).status().code(), Status::Code::kLocked);
}

TEST(Vault, SealedSettingsAreSealedBoundToTheirNameAndNeedTheKeys) {
  TestDir dir;
  auto v = MakeVault(dir);
  ASSERT_TRUE(v->PutSealedSetting("accounts", "canary-account-zhanar").ok());
  auto got = v->GetSealedSetting("accounts");
  ASSERT_TRUE(got.ok() && *got);
  EXPECT_EQ(**got, "canary-account-zhanar");
  EXPECT_FALSE(*v->GetSealedSetting("absent"));
  EXPECT_EQ(Slurp(fs::path(dir / "v") / "vault.db").find("canary-account"), std::string::npos);
  ASSERT_TRUE(v->Save(Person("P-1", "Aygul"), "acct-7").ok());
  EXPECT_EQ(v->Get("P-1")->author, "acct-7");
  v->Lock();
  EXPECT_EQ(v->GetSealedSetting("accounts").status().code(), Status::Code::kLocked);
  auto again = Vault::Unlock(dir / "v", "admin", kPass, Fast());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(**(*again)->GetSealedSetting("accounts"), "canary-account-zhanar");
}

TEST(Vault, EvidenceFromMemoryRoundTrips) {
  TestDir dir;
  auto v = MakeVault(dir);
  std::string bytes(200000, 'v');
  bytes += "canary-upload-bytes";
  auto ev = v->AddEvidenceBytes(bytes, {{"media_type", "video/mp4"}, {"original_name", "a.mp4"}},
                                "", "acct-1");
  ASSERT_TRUE(ev.ok()) << ev.status().message();
  EXPECT_EQ(v->Get(ev->id)->author, "acct-1");
  EXPECT_EQ(ev->doc["size"], bytes.size());
  ASSERT_TRUE(v->ExtractEvidence(ev->id, dir / "out.mp4").ok());
  EXPECT_EQ(Slurp(dir / "out.mp4"), bytes);
  for (const auto& e : fs::recursive_directory_iterator(dir / "v")) {
    if (e.is_regular_file()) {
      EXPECT_EQ(Slurp(e.path()).find("canary-upload"), std::string::npos) << e.path();
    }
  }
}

TEST(Vault, EvidenceRoundTripsAndDetectsTruncation) {
  TestDir dir;
  auto v = MakeVault(dir);
  std::string content(200000, 'q');
  std::ofstream(dir / "clip.mp4", std::ios::binary) << content;
  auto ev = v->AddEvidence(dir / "clip.mp4", {{"media_type", "video/mp4"}});
  ASSERT_TRUE(ev.ok()) << ev.status().message();
  EXPECT_EQ(ev->doc["size"], 200000);
  ASSERT_TRUE(v->ExtractEvidence(ev->id, dir / "copy.mp4").ok());
  EXPECT_EQ(Slurp(dir / "copy.mp4"), content);
  // Cut the sealed file: extraction fails and leaves no partial output.
  std::string blob = ev->doc["blob"];
  fs::path sealed = fs::path(dir / "v") / "blobs" / blob.substr(0, 2) / (blob + ".blob");
  fs::resize_file(sealed, fs::file_size(sealed) - 100);
  Status st = v->ExtractEvidence(ev->id, dir / "copy2.mp4");
  EXPECT_EQ(st.code(), Status::Code::kCorrupt);
  EXPECT_NE(st.message().find("truncated"), std::string::npos) << st.message();
  EXPECT_FALSE(fs::exists(dir / "copy2.mp4"));
}

// THREATS.md P1: a powered-off copy of the vault yields no name, testimony
// text, witness detail or evidence content.
TEST(Vault, NoCanaryReachesTheDisk) {
  TestDir dir;
  const std::vector<std::string> canaries = {
      "Canarybek Zhumagaliuly", "Канарейка Жұмағалиқызы",        "كانارىيە تۇرسۇن",
      "金丝雀买买提",           "the canary testimony sentence", "witness canary phone 555-0142",
      "EVIDENCE-CANARY-BYTES"};
  {
    auto v = MakeVault(dir);
    std::vector<model::Record> batch;
    for (int i = 0; i < 4; ++i)
      batch.push_back(Person("P-" + std::to_string(i), canaries[static_cast<size_t>(i)]));
    batch.push_back({"T-1", model::RecordType::kTestimony, {{"transcript", canaries[4]}}});
    batch.push_back(
        {"W-1", model::RecordType::kWitness, {{"name", "W"}, {"contact", canaries[5]}}});
    ASSERT_TRUE(v->SaveAll(batch).ok());
    std::ofstream(dir / "scan.pdf", std::ios::binary) << std::string(1000, 'x') + canaries[6];
    ASSERT_TRUE(v->AddEvidence(dir / "scan.pdf", {{"media_type", "application/pdf"}}).ok());
    // Scan while the vault is still open too: the WAL and any temp files count.
    for (int pass = 0; pass < 2; ++pass) {
      for (const auto& entry : fs::recursive_directory_iterator(dir / "v")) {
        if (!entry.is_regular_file()) continue;
        std::string bytes = Slurp(entry.path());
        // UTF-16 at both byte alignments.
        std::u16string wide[2];
        for (size_t a = 0; a < 2 && bytes.size() > a;
             ++a) {  // memcpy: bytes.data() + 1 is not aligned for char16_t
          wide[a].resize((bytes.size() - a) / 2);
          std::memcpy(wide[a].data(), bytes.data() + a, wide[a].size() * sizeof(char16_t));
        }
        for (const auto& c : canaries) {
          EXPECT_EQ(bytes.find(c), std::string::npos) << c << " in " << entry.path();
          for (const auto& w : wide)
            EXPECT_EQ(w.find(Utf16(c)), std::u16string::npos)
                << c << " (UTF-16) in " << entry.path();
        }
      }
      if (pass == 0) v.reset();
    }
  }
}

// Runs fn in a child process that ends there (fn is expected to end it, as a crash
// would); returns the child's exit status, or -1 if it did not exit normally.
int InChild(const std::function<void()>& fn) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    fn();
    ::_exit(3);  // fn returned: the crash it was to simulate did not happen
  }
  int status = 0;
  if (pid < 0 || ::waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

size_t CountFiles(const fs::path& dir, const std::string& suffix) {
  size_t n = 0;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file() && it->path().string().ends_with(suffix)) ++n;
  return n;
}

// An upload that dies between keeping its sealed file and saving the record that names it
// (a fault point, in a child process that exits there), or in the middle of a stream,
// leaves a locked mark; the next unlock removes those files, which nothing refers to. A
// saved evidence file, and an upload still running (its mark locked), are left alone.
TEST(Vault, AnUploadThatDiesBeforeItsRecordLeavesNoEvidenceFile) {
  TestDir dir;
  {
    auto v = MakeVault(dir);
    ASSERT_TRUE(v->AddEvidenceBytes("a saved file", {{"media_type", "text/plain"}}, "E-1").ok());
  }
  const fs::path blobs = fs::path(dir / "v") / kBlobDir;
  EXPECT_EQ(CountFiles(blobs, ".blob"), 1u);
  EXPECT_EQ(InChild([&] {
              auto v = Vault::Unlock(dir / "v", "admin", kPass, Fast());
              if (!v.ok()) ::_exit(2);
              testing::after_blob_kept = [] { ::_exit(0); };
              (void)(*v)->AddEvidenceBytes("orphaned bytes", {{"media_type", "text/plain"}}, "E-2");
            }),
            0);
  EXPECT_EQ(CountFiles(blobs, ".blob"), 2u);
  EXPECT_EQ(CountFiles(blobs / "pending", ""), 1u);
  // The next child's unlock removes that orphan; the child then dies streaming its own.
  EXPECT_EQ(InChild([&] {
              auto v = Vault::Unlock(dir / "v", "admin", kPass, Fast());
              if (!v.ok()) ::_exit(2);
              auto p = (*v)->BeginEvidence();
              if (!p.ok() || !(*p)->Append(std::string(200000, 'x')).ok()) ::_exit(2);
              ::_exit(0);  // killed mid-stream
            }),
            0);
  EXPECT_EQ(CountFiles(blobs, ".blob"), 2u);
  EXPECT_EQ(CountFiles(blobs / "pending", ""), 1u);

  auto a = Vault::Unlock(dir / "v", "admin", kPass, Fast());
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(CountFiles(blobs, ".blob"), 1u) << "the streamed orphan is gone too";
  EXPECT_EQ(CountFiles(blobs / "pending", ""), 0u);
  EXPECT_FALSE((*a)->Exists("E-2"));
  auto running = (*a)->BeginEvidence();
  ASSERT_TRUE(running.ok());
  ASSERT_TRUE((*running)->Append("still arriving").ok());
  {
    auto b = Vault::Unlock(dir / "v", "admin", kPass, Fast());  // sweeps again
    ASSERT_TRUE(b.ok()) << b.status().message();
  }
  auto saved = (*a)->FinishEvidence(std::move(*running), {{"media_type", "text/plain"}}, "E-3");
  ASSERT_TRUE(saved.ok()) << saved.status().message();
  EXPECT_EQ(CountFiles(blobs, ".blob"), 2u);
  EXPECT_EQ(CountFiles(blobs / "pending", ""), 0u);
  ASSERT_TRUE((*a)->ExtractEvidence("E-3", dir / "out").ok());
  EXPECT_EQ(Slurp(dir / "out"), "still arriving");
  auto check = (*a)->CheckEverything();
  ASSERT_TRUE(check.ok()) << check.status().message();
  EXPECT_TRUE(check->problems.empty()) << check->problems.front();
}

}  // namespace
}  // namespace izde::vault
