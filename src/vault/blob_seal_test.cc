#include "vault/blob_seal.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "vault/test_vault_dir.h"

namespace izde::vault {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

void Write(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

std::string OpenAll(const std::string& path, const SecretKey& key, Status* status) {
  std::string out;
  *status = OpenFile(path, key, [&](std::string_view c) {
    out.append(c);
    return Status::Ok();
  });
  return out;
}

class BlobSealTest : public ::testing::TestWithParam<size_t> {};

TEST_P(BlobSealTest, RoundTripsFilesOfAnySize) {
  TestDir dir;
  std::string data(GetParam(), '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 31 + 7);
  Write(dir / "in", data);
  SecretKey key = SecretKey::Random();
  auto info = SealFile(dir / "in", dir / "out", key);
  ASSERT_TRUE(info.ok()) << info.status().message();
  EXPECT_EQ(info->size, data.size());
  Status st;
  EXPECT_EQ(OpenAll(dir / "out", key, &st), data);
  EXPECT_TRUE(st.ok()) << st.message();
}

// A file that arrives in pieces of odd sizes seals to what SealFile writes for the
// same bytes: OpenFile reads it back, and the hash and size agree.
TEST_P(BlobSealTest, WriterSealsPiecesAsSealFileDoes) {
  TestDir dir;
  std::string data(GetParam(), '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 31 + 7);
  Write(dir / "in", data);
  SecretKey key = SecretKey::Random();
  auto whole = SealFile(dir / "in", dir / "whole", key);
  ASSERT_TRUE(whole.ok());
  auto w = BlobWriter::Create(dir / "pieces", key);
  ASSERT_TRUE(w.ok()) << w.status().message();
  for (size_t at = 0, step = 1; at < data.size(); at += step, step = step * 3 % 70001 + 1)
    ASSERT_TRUE((*w)->Append(std::string_view(data).substr(at, step)).ok());
  auto info = (*w)->Finish();
  ASSERT_TRUE(info.ok()) << info.status().message();
  EXPECT_EQ(info->size, data.size());
  EXPECT_EQ(info->sha256_hex, whole->sha256_hex);
  EXPECT_EQ(fs::file_size(dir / "pieces"), fs::file_size(dir / "whole"));
  Status st;
  EXPECT_EQ(OpenAll(dir / "pieces", key, &st), data);
  EXPECT_TRUE(st.ok()) << st.message();
}

INSTANTIATE_TEST_SUITE_P(Sizes, BlobSealTest,
                         ::testing::Values(0, 1, 65535, 65536, 65537, 3 * 65536, 200000));

TEST(BlobSeal, WriterLeavesNothingUnlessFinished) {
  TestDir dir;
  {
    auto w = BlobWriter::Create(dir / "dropped", SecretKey::Random());
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->Append(std::string(200000, 'x')).ok());
    EXPECT_TRUE(fs::exists(dir / "dropped"));
  }
  EXPECT_FALSE(fs::exists(dir / "dropped"));
  auto w = BlobWriter::Create(dir / "kept", SecretKey::Random());
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->Finish().ok());
  EXPECT_FALSE((*w)->Append("more").ok());
  w->reset();
  EXPECT_TRUE(fs::exists(dir / "kept"));
  EXPECT_FALSE(BlobWriter::Create(dir / "kept", SecretKey::Random()).ok()) << "never overwrites";
}

TEST(BlobSeal, HashIsOfTheOriginalBytes) {
  TestDir dir;
  Write(dir / "in", "abc");
  auto info = SealFile(dir / "in", dir / "out", SecretKey::Random());
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->sha256_hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(BlobSeal, TruncatedFileFailsEvenAtAChunkBoundary) {
  TestDir dir;
  Write(dir / "in", std::string(3 * 65536 + 100, 'v'));
  SecretKey key = SecretKey::Random();
  ASSERT_TRUE(SealFile(dir / "in", dir / "out", key).ok());
  std::string sealed = Slurp(dir / "out");
  const size_t chunk = 4 + 65536 + crypto_secretstream_xchacha20poly1305_ABYTES;
  const size_t head = 4 + crypto_secretstream_xchacha20poly1305_HEADERBYTES;
  for (size_t cut :
       {head, head + chunk, head + 2 * chunk, head + 3 * chunk, sealed.size() - 1, head + 10}) {
    Write(dir / "cut", sealed.substr(0, cut));
    Status st;
    OpenAll(dir / "cut", key, &st);
    EXPECT_EQ(st.code(), Status::Code::kCorrupt) << "cut at " << cut;
    EXPECT_NE(st.message().find("truncated"), std::string::npos) << st.message();
  }
}

TEST(BlobSeal, TamperingAndWrongKeyAndTrailingBytesFail) {
  TestDir dir;
  Write(dir / "in", std::string(100000, 'x'));
  SecretKey key = SecretKey::Random();
  ASSERT_TRUE(SealFile(dir / "in", dir / "out", key).ok());
  std::string sealed = Slurp(dir / "out");
  Status st;
  OpenAll(dir / "out", SecretKey::Random(), &st);
  EXPECT_FALSE(st.ok());
  std::string flipped = sealed;
  flipped[sealed.size() / 2] ^= 1;
  Write(dir / "bad", flipped);
  OpenAll(dir / "bad", key, &st);
  EXPECT_NE(st.message().find("altered"), std::string::npos) << st.message();
  Write(dir / "long", sealed + sealed.substr(sealed.size() - 40));
  OpenAll(dir / "long", key, &st);
  EXPECT_NE(st.message().find("after its final chunk"), std::string::npos) << st.message();
}

TEST(BlobSeal, BytesRoundTripAndFailClosed) {
  TestDir dir;
  SecretKey key = SecretKey::Random();
  for (size_t n : {size_t{0}, size_t{10}, size_t{65536}, size_t{200000}}) {
    std::string data(n, 'i');
    ASSERT_TRUE(SealBytes(data, dir / "index.cache", key).ok());
    auto back = OpenBytes(dir / "index.cache", key);
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_EQ(*back, data);
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "index.cache.tmp"));
  EXPECT_FALSE(OpenBytes(dir / "index.cache", SecretKey::Random()).ok());
  std::filesystem::resize_file(dir / "index.cache", 1000);
  EXPECT_FALSE(OpenBytes(dir / "index.cache", key).ok());
}

TEST(BlobSeal, MissingSourceIsAClearError) {
  TestDir dir;
  auto info = SealFile(dir / "nope.mp4", dir / "out", SecretKey::Random());
  ASSERT_FALSE(info.ok());
  EXPECT_NE(info.status().message().find("nope.mp4"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir / "out"));
}

}  // namespace
}  // namespace izde::vault
