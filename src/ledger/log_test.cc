#include "ledger/log.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>

#include "ledger/merkle_proof.h"

namespace izde::ledger {
namespace {

namespace fs = std::filesystem;

class LogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("izde-log-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static std::string EntryText(std::uint64_t i) { return "synthetic entry " + std::to_string(i); }

  Log Build(const fs::path& dir, std::uint64_t n, std::uint64_t commit_every) {
    Log log = std::move(Log::Create(dir)).value();
    for (std::uint64_t i = 0; i < n; ++i) {
      EXPECT_EQ(*log.Append(AsBytes(EntryText(i))), i);
      if ((i + 1) % commit_every == 0) {
        EXPECT_TRUE(log.Commit().ok());
      }
    }
    EXPECT_TRUE(log.Commit().ok());
    return log;
  }

  static std::vector<fs::path> Files(const fs::path& dir) {
    std::vector<fs::path> out;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
      if (e.is_regular_file()) out.push_back(e.path());
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  fs::path dir_;
};

TEST_F(LogTest, EntriesReadEachBundleOnceAndMatchEntry) {
  Build(dir_, 600, 1000);  // two full bundles and a partial one
  Log log = std::move(Log::Open(dir_)).value();
  const std::vector<std::uint64_t> want = {599, 3, 300, 3, 255, 256, 0, 511, 512};
  auto got = log.Entries(want);
  ASSERT_TRUE(got.ok()) << got.status().message();
  ASSERT_EQ(got->size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i)
    EXPECT_EQ((*got)[i], *log.Entry(want[i])) << want[i];
  EXPECT_EQ(log.Entries({600}).status().code(), Status::Code::kNotFound);
  // A bundle changed on disk since Open() is noticed, as by Entry().
  const fs::path tile = dir_ / "tile/entries/001";
  std::string bytes;
  {
    std::ifstream in(tile, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  ASSERT_FALSE(bytes.empty());
  bytes[10] ^= 0x01;
  std::ofstream(tile, std::ios::binary | std::ios::trunc) << bytes;
  EXPECT_FALSE(log.Entries({300}).ok());
}

TEST_F(LogTest, ReopenedLogHasTheSameTreeAndEntries) {
  Log log = Build(dir_, 700, 97);
  const Hash root = log.Root();
  auto reopened = Log::Open(dir_, Log::Mode::kReadOnly);
  ASSERT_TRUE(reopened.ok()) << reopened.status().message();
  EXPECT_EQ(reopened->Size(), 700u);
  EXPECT_EQ(reopened->Root(), root);
  EXPECT_TRUE(fs::exists(dir_ / "tile/0/001"));
  EXPECT_TRUE(fs::exists(dir_ / "tile/0/002.p/188"));
  EXPECT_TRUE(fs::exists(dir_ / "tile/1/000.p/2"));
  EXPECT_TRUE(fs::exists(dir_ / "tile/entries/002.p/188"));
  for (std::uint64_t i : {0u, 255u, 256u, 699u}) {
    auto e = reopened->Entry(i);
    ASSERT_TRUE(e.ok()) << e.status().message();
    EXPECT_EQ(std::string(e->begin(), e->end()), EntryText(i));
    auto proof = reopened->InclusionProof(i, 700);
    EXPECT_TRUE(VerifyInclusion(i, 700, HashLeaf(*e), *proof, root).ok());
  }
  // Appending continues from the partial bundle.
  ASSERT_TRUE(reopened->Append(AsBytes(EntryText(700))).ok());
  ASSERT_TRUE(reopened->Commit().ok());
  auto again = Log::Open(dir_, Log::Mode::kReadOnly);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->Size(), 701u);
  auto cp = again->ConsistencyProof(700, 701);
  EXPECT_TRUE(VerifyConsistency(700, 701, root, again->Root(), *cp).ok());
}

TEST_F(LogTest, AMirrorIsAPlainCopy) {
  Log log = Build(dir_, 300, 300);
  ASSERT_TRUE(log.WriteCheckpoint("synthetic checkpoint\n").ok());
  fs::path mirror = dir_.string() + "-mirror";
  fs::remove_all(mirror);
  fs::copy(dir_, mirror, fs::copy_options::recursive);
  auto m = Log::Open(mirror, Log::Mode::kReadOnly);
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m->Root(), log.Root());
  EXPECT_EQ(*m->ReadCheckpoint(), "synthetic checkpoint\n");
  fs::remove_all(mirror);
}

TEST_F(LogTest, FlippingAnyByteOfAnyTileIsNamed) {
  Build(dir_, 9, 4);
  for (const fs::path& f : Files(dir_ / "tile")) {
    const std::string rel = fs::relative(f, dir_).generic_string();
    std::ifstream in(f, std::ios::binary);
    std::string original((std::istreambuf_iterator<char>(in)), {});
    in.close();
    for (std::size_t i = 0; i < original.size(); ++i) {
      std::string bad = original;
      bad[i] = static_cast<char>(bad[i] ^ 0x10);
      std::ofstream(f, std::ios::binary | std::ios::trunc) << bad;
      auto r = Log::Open(dir_, Log::Mode::kReadOnly);
      ASSERT_FALSE(r.ok()) << rel << " byte " << i;
      EXPECT_NE(r.status().message().find("tile/"), std::string::npos) << r.status().message();
    }
    std::ofstream(f, std::ios::binary | std::ios::trunc) << original;
  }
  EXPECT_TRUE(Log::Open(dir_, Log::Mode::kReadOnly).ok());
}

TEST_F(LogTest, RemovedOrForeignFilesAreDetected) {
  Build(dir_, 600, 600);
  fs::remove(dir_ / "tile/entries/001");
  auto r = Log::Open(dir_, Log::Mode::kReadOnly);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("tile/entries/001 is missing"), std::string::npos)
      << r.status().message();
  fs::remove_all(dir_);
  Build(dir_, 10, 10);
  std::ofstream(dir_ / "tile/0/notes.txt") << "x";
  EXPECT_FALSE(Log::Open(dir_, Log::Mode::kReadOnly).ok());
}

TEST_F(LogTest, CrashLeftoversAreClearedOnWritableOpen) {
  for (Log::Mode mode : {Log::Mode::kWritable, Log::Mode::kAppend}) {
    fs::remove_all(dir_);
    Build(dir_, 20, 20);
    const Hash root20 = Log::Open(dir_)->Root();
    // A later commit that died after writing entries and an upper tile, but before its
    // level-0 tile: simulate by writing those files by hand.
    fs::create_directories(dir_ / "tile/entries");
    std::ofstream(dir_ / "tile/entries/000.p/25", std::ios::binary) << std::string(10, 'z');
    std::ofstream(dir_ / "tile/0/000.p/3.tmp") << "partial";
    EXPECT_FALSE(Log::Open(dir_, Log::Mode::kReadOnly).ok());
    auto w = Log::Open(dir_, mode);
    ASSERT_TRUE(w.ok()) << w.status().message();
    EXPECT_EQ(w->Size(), 20u);
    EXPECT_EQ(w->Root(), root20);
    EXPECT_FALSE(fs::exists(dir_ / "tile/entries/000.p/25"));
    ASSERT_TRUE(w->Append(AsBytes(EntryText(20))).ok());
    ASSERT_TRUE(w->Commit().ok());
    EXPECT_TRUE(Log::Open(dir_, Log::Mode::kReadOnly).ok());
  }
}

// Opened to append, a log reads only its right edge, yet answers exactly as a log read
// whole: the same root, roots of earlier sizes, proofs and entries; and what it appends
// and commits is the log a whole reading builds. Sizes around every tile boundary, and
// one with a partial tile at level 2 (more than 65,536 leaves).
TEST_F(LogTest, OpenedToAppendItAnswersAsALogReadWhole) {
  for (std::uint64_t n : {1u, 2u, 255u, 256u, 257u, 511u, 700u, 65536u, 65536u + 256u * 3u + 5u}) {
    SCOPED_TRACE(n);
    fs::remove_all(dir_);
    Build(dir_, n, n);
    auto whole = Log::Open(dir_, Log::Mode::kReadOnly);
    ASSERT_TRUE(whole.ok()) << whole.status().message();
    auto edge = Log::Open(dir_, Log::Mode::kAppend);
    ASSERT_TRUE(edge.ok()) << edge.status().message();
    EXPECT_EQ(edge->Size(), n);
    EXPECT_EQ(edge->Root(), whole->Root());
    std::mt19937_64 rng(n);
    for (int k = 0; k < 40; ++k) {
      const std::uint64_t i = rng() % n, size = i + 1 + rng() % (n - i);
      EXPECT_EQ(*edge->LeafHash(i), *whole->LeafHash(i));
      EXPECT_EQ(*edge->RootAt(size), *whole->RootAt(size));
      EXPECT_EQ(*edge->InclusionProof(i, size), *whole->InclusionProof(i, size));
      EXPECT_EQ(*edge->ConsistencyProof(i + 1, size), *whole->ConsistencyProof(i + 1, size));
      auto e = edge->Entry(i);
      ASSERT_TRUE(e.ok()) << e.status().message();
      EXPECT_EQ(std::string(e->begin(), e->end()), EntryText(i));
    }
    for (std::uint64_t i = n; i < n + 300; ++i) {
      ASSERT_TRUE(edge->Append(AsBytes(EntryText(i))).ok());
      ASSERT_TRUE(whole->Append(AsBytes(EntryText(i))).ok());
      if (i % 97 == 0) {
        ASSERT_TRUE(edge->Commit().ok());
      }
    }
    ASSERT_TRUE(edge->Commit().ok());
    EXPECT_EQ(edge->Root(), whole->Root());
    auto again = Log::Open(dir_, Log::Mode::kReadOnly);
    ASSERT_TRUE(again.ok()) << again.status().message();
    EXPECT_EQ(again->Size(), n + 300);
    EXPECT_EQ(again->Root(), whole->Root());
  }
}

// What a log opened to append reads is still checked: an entry that differs from its
// stored hash, or a tile of the wrong size, is refused by path; a whole reading names
// the rest.
TEST_F(LogTest, OpenedToAppendItStillChecksWhatItReads) {
  Build(dir_, 600, 600);
  {
    std::fstream f(dir_ / "tile/entries/002.p/88", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(5);
    f.put('#');
  }
  auto r = Log::Open(dir_, Log::Mode::kAppend);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("tile/entries/002.p/88: entry 512"), std::string::npos)
      << r.status().message();
  fs::remove_all(dir_);
  Build(dir_, 600, 600);
  {
    std::fstream f(dir_ / "tile/entries/001", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(5);
    f.put('#');
  }
  auto a = Log::Open(dir_, Log::Mode::kAppend);
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_TRUE(a->Entry(3).ok());
  auto e = a->Entry(256);
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.status().message().find("tile/entries/001"), std::string::npos)
      << e.status().message();
  EXPECT_FALSE(Log::Open(dir_, Log::Mode::kReadOnly).ok());
  fs::remove_all(dir_);
  Build(dir_, 600, 600);
  fs::resize_file(dir_ / "tile/0/002.p/88", 87 * 32);
  auto t = Log::Open(dir_, Log::Mode::kAppend);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("tile/0/002.p/88"), std::string::npos)
      << t.status().message();
}

TEST_F(LogTest, RejectsOversizedEntriesAndDoubleCreate) {
  Log log = Build(dir_, 1, 1);
  std::vector<std::uint8_t> big(kMaxEntryBytes + 1);
  EXPECT_FALSE(log.Append(big).ok());
  EXPECT_FALSE(Log::Create(dir_).ok());
}

}  // namespace
}  // namespace izde::ledger
