#include "vault/passphrase_seal.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

namespace izde::vault {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

void Write(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

class PassphraseSeal : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("izde-pseal-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  std::filesystem::path dir_;
};

// Three chunks and a bit: chunk boundaries, the final tag and the header as AD.
std::string Content() {
  std::string s(3 * (1 << 20) + 12345, '\0');
  std::mt19937 rng(7);
  for (auto& c : s) c = static_cast<char>(rng());
  return s + "Memet Tursun";
}

TEST_F(PassphraseSeal, RoundTripAndNothingInTheClear) {
  const std::string content = Content();
  ASSERT_TRUE(
      SealWithPassphrase(content, Path("s"), "pass phrase", KdfCost::kTestOnlyMinimum).ok());
  const std::string sealed = Slurp(Path("s"));
  EXPECT_EQ(sealed.find("Memet Tursun"), std::string::npos);
  auto opened = OpenWithPassphrase(Path("s"), "pass phrase");
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  EXPECT_EQ(*opened, content);
  // Empty content seals too.
  ASSERT_TRUE(SealWithPassphrase("", Path("e"), "pass phrase", KdfCost::kTestOnlyMinimum).ok());
  auto empty = OpenWithPassphrase(Path("e"), "pass phrase");
  ASSERT_TRUE(empty.ok()) << empty.status().message();
  EXPECT_TRUE(empty->empty());
  // No temporary file is left behind.
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir_)) files += !e.path().empty();
  EXPECT_EQ(files, 2u);
}

TEST_F(PassphraseSeal, WrongPassphraseDamageAndCutsAreTold) {
  const std::string content = Content();
  ASSERT_TRUE(
      SealWithPassphrase(content, Path("s"), "pass phrase", KdfCost::kTestOnlyMinimum).ok());
  const std::string sealed = Slurp(Path("s"));
  auto status_of = [&](const std::string& bytes, std::string_view pass) {
    Write(Path("t"), bytes);
    auto r = OpenWithPassphrase(Path("t"), pass);
    EXPECT_FALSE(r.ok());
    return r.status();
  };
  EXPECT_EQ(status_of(sealed, "another phrase").code(), Status::Code::kPermissionDenied);
  EXPECT_EQ(status_of("IZB1 not this", "pass phrase").code(), Status::Code::kCorrupt);
  EXPECT_EQ(status_of("", "pass phrase").code(), Status::Code::kCorrupt);
  // A flipped bit in the salt: the key differs, as with a wrong passphrase.
  std::string salt = sealed;
  salt[10] ^= 1;
  EXPECT_EQ(status_of(salt, "pass phrase").code(), Status::Code::kPermissionDenied);
  // A flipped bit in the last chunk, a cut, and bytes after the end.
  std::string late = sealed;
  late[late.size() - 5] ^= 1;
  EXPECT_EQ(status_of(late, "pass phrase").code(), Status::Code::kCorrupt);
  Status cut = status_of(sealed.substr(0, sealed.size() - 100), "pass phrase");
  EXPECT_EQ(cut.code(), Status::Code::kCorrupt);
  EXPECT_NE(cut.message().find("cut short"), std::string::npos) << cut.message();
  // Whole chunks dropped from the end: no final tag.
  const size_t first_chunk_end = 8 + 16 + 16 + 24 + 4 + (1 << 20) + 17;
  Status no_final = status_of(sealed.substr(0, first_chunk_end), "pass phrase");
  EXPECT_EQ(no_final.code(), Status::Code::kCorrupt) << no_final.message();
  EXPECT_EQ(status_of(sealed + "x", "pass phrase").code(), Status::Code::kCorrupt);
  // An absurd passphrase cost in the header is refused before any work.
  std::string cost = sealed;
  for (int i = 0; i < 8; ++i) cost[8 + 16 + 8 + static_cast<size_t>(i)] = '\xff';
  EXPECT_EQ(status_of(cost, "pass phrase").code(), Status::Code::kCorrupt);
  EXPECT_FALSE(OpenWithPassphrase(Path("absent"), "pass phrase").ok());
}

TEST_F(PassphraseSeal, AppendedSegmentsAreChained) {
  const std::string base = Content();
  ASSERT_TRUE(SealWithPassphrase(base, Path("s"), "pass phrase", KdfCost::kTestOnlyMinimum).ok());
  auto f = OpenSegmentsWithPassphrase(Path("s"), "pass phrase");
  ASSERT_TRUE(f.ok()) << f.status().message();
  ASSERT_EQ(f->segments.size(), 1u);
  EXPECT_EQ(f->segments[0], base);
  const std::string one = "first delta: Gulnar Abdukerim";
  const std::string two(2 * (1 << 20) + 7, 'x');  // more than one chunk
  const size_t base_size = Slurp(Path("s")).size();
  ASSERT_TRUE(AppendSealed(*f, one).ok());
  const size_t one_end = Slurp(Path("s")).size();
  ASSERT_TRUE(AppendSealed(*f, two).ok());
  ASSERT_TRUE(AppendSealed(*f, "").ok());
  const std::string grown = Slurp(Path("s"));
  EXPECT_EQ(grown.find("Gulnar"), std::string::npos);
  EXPECT_EQ(f->length, grown.size());
  auto g = OpenSegmentsWithPassphrase(Path("s"), "pass phrase");
  ASSERT_TRUE(g.ok()) << g.status().message();
  ASSERT_EQ(g->segments.size(), 4u);
  EXPECT_EQ(g->segments[1], one);
  EXPECT_EQ(g->segments[2], two);
  EXPECT_EQ(g->segments[3], "");
  EXPECT_EQ(g->chain, f->chain);
  // The single-part reader refuses a grown file.
  auto whole = OpenWithPassphrase(Path("s"), "pass phrase");
  ASSERT_FALSE(whole.ok());
  EXPECT_NE(whole.status().message().find("after its end"), std::string::npos);

  auto status_of = [&](const std::string& bytes) {
    Write(Path("t"), bytes);
    auto r = OpenSegmentsWithPassphrase(Path("t"), "pass phrase");
    EXPECT_FALSE(r.ok());
    return r.ok() ? Status::Ok() : r.status();
  };
  const std::string seg1 = grown.substr(base_size, one_end - base_size);
  const std::string seg2 = grown.substr(one_end, g->sealed_sizes[2]);
  const std::string seg3 = grown.substr(one_end + seg2.size());
  const std::string head = grown.substr(0, base_size);
  // Reordered, a part dropped from the middle: refused, naming the part.
  Status reordered = status_of(head + seg2 + seg1 + seg3);
  EXPECT_EQ(reordered.code(), Status::Code::kCorrupt);
  EXPECT_NE(reordered.message().find("does not follow"), std::string::npos) << reordered.message();
  EXPECT_EQ(status_of(head + seg1 + seg3).code(), Status::Code::kCorrupt);
  // The file ends inside its last part, or inside that part's header: an append a
  // crash cut off. It reads as it was before, and the next append writes over it.
  for (const size_t cut_at : {grown.size() - 3, one_end + 10}) {
    const std::string torn = grown.substr(0, cut_at);
    Write(Path("t"), torn);
    auto r = OpenSegmentsWithPassphrase(Path("t"), "pass phrase");
    ASSERT_TRUE(r.ok()) << r.status().message();
    const size_t whole = cut_at > one_end + seg2.size() ? 3 : 2;
    ASSERT_EQ(r->segments.size(), whole);
    EXPECT_EQ(r->segments.back(), whole == 3 ? two : one);
    EXPECT_EQ(r->length + r->unfinished, torn.size());
    ASSERT_TRUE(AppendSealed(*r, "after the crash").ok());
    auto again = OpenSegmentsWithPassphrase(Path("t"), "pass phrase");
    ASSERT_TRUE(again.ok()) << again.status().message();
    EXPECT_EQ(again->unfinished, 0u);
    ASSERT_EQ(again->segments.size(), whole + 1);
    EXPECT_EQ(again->segments.back(), "after the crash");
    EXPECT_EQ(Slurp(Path("t")).size(), again->length);
  }
  // All of a part's bytes there, but not opening: refused.
  std::string bad_tail = grown;
  bad_tail[bad_tail.size() - 3] ^= 1;
  EXPECT_EQ(status_of(bad_tail).code(), Status::Code::kCorrupt);
  // A flipped bit in a later chunk of a part.
  std::string flipped = grown;
  flipped[one_end + seg2.size() - 100] ^= 1;
  EXPECT_EQ(status_of(flipped).code(), Status::Code::kCorrupt);
  // Bytes that are not a part.
  EXPECT_EQ(status_of(grown + "garbage!").code(), Status::Code::kCorrupt);
  // A part from another file sealed with the same passphrase (and the same content).
  ASSERT_TRUE(SealWithPassphrase(base, Path("o"), "pass phrase", KdfCost::kTestOnlyMinimum).ok());
  auto other = OpenSegmentsWithPassphrase(Path("o"), "pass phrase");
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(AppendSealed(*other, one).ok());
  const std::string other_bytes = Slurp(Path("o"));
  const size_t other_base = other->sealed_sizes[0];
  Status foreign = status_of(head + other_bytes.substr(other_base));
  EXPECT_EQ(foreign.code(), Status::Code::kCorrupt) << foreign.message();
  // Appending to a file renamed over the one read (of the same length) is refused.
  auto h = OpenSegmentsWithPassphrase(Path("s"), "pass phrase");
  ASSERT_TRUE(h.ok());
  Write(Path("copy"), grown);
  std::filesystem::rename(Path("copy"), Path("s"));
  EXPECT_EQ(AppendSealed(*h, one).code(), Status::Code::kLocked);
  EXPECT_EQ(Slurp(Path("s")), grown);
  // Appending to a file that changed since it was read is refused, nothing written.
  Write(Path("s"), grown + "x");
  Status changed = AppendSealed(*g, one);
  EXPECT_EQ(changed.code(), Status::Code::kLocked) << changed.message();
  EXPECT_EQ(Slurp(Path("s")), grown + "x");
}

}  // namespace
}  // namespace izde::vault
