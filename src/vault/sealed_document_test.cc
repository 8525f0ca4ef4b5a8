#include "vault/sealed_document.h"

#include <gtest/gtest.h>

namespace izde::vault {
namespace {

model::Record Sample(const std::string& id, const std::string& name) {
  return {id, model::RecordType::kPerson, {{"names", {{{"text", name}}}}, {"notes", "seen 2019"}}};
}

TEST(SealedDocument, RoundTrips) {
  SecretKey key = SecretKey::Random();
  auto stored =
      SealDocument(DefaultCipher(), key, "record", Sample("P-1", "Қалида"), 3, 99, "admin");
  auto opened = OpenDocument(DefaultCipher(), key, stored);
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  EXPECT_EQ(opened->record.doc, Sample("P-1", "Қалида").doc);
  EXPECT_EQ(opened->author, "admin");
  EXPECT_EQ(opened->version, 3);
}

TEST(SealedDocument, WrongKeyFailsClosed) {
  auto stored = SealDocument(DefaultCipher(), SecretKey::Random(), "record", Sample("P-1", "A"), 1,
                             0, "admin");
  auto opened = OpenDocument(DefaultCipher(), SecretKey::Random(), stored);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), Status::Code::kCorrupt);
}

TEST(SealedDocument, EveryFlippedByteIsDetected) {
  SecretKey key = SecretKey::Random();
  auto stored = SealDocument(DefaultCipher(), key, "record", Sample("P-1", "Ilham"), 1, 0, "a");
  for (size_t i = 0; i < stored.sealed.size(); ++i) {
    auto bad = stored;
    bad.sealed[i] ^= 0x01;
    EXPECT_FALSE(OpenDocument(DefaultCipher(), key, bad).ok()) << "byte " << i;
  }
  for (size_t i = 0; i < stored.wrapped_key.size(); ++i) {
    auto bad = stored;
    bad.wrapped_key[i] ^= 0x80;
    EXPECT_FALSE(OpenDocument(DefaultCipher(), key, bad).ok()) << "key byte " << i;
  }
}

TEST(SealedDocument, CiphertextCannotMoveToAnotherRecordOrVersion) {
  SecretKey key = SecretKey::Random();
  auto a = SealDocument(DefaultCipher(), key, "record", Sample("P-1", "Aygul"), 1, 0, "a");
  auto moved = a;
  moved.record_id = "P-2";
  EXPECT_FALSE(OpenDocument(DefaultCipher(), key, moved).ok());
  moved = a;
  moved.version = 2;
  EXPECT_FALSE(OpenDocument(DefaultCipher(), key, moved).ok());
  moved = a;
  moved.type = "facility";
  EXPECT_FALSE(OpenDocument(DefaultCipher(), key, moved).ok());
}

// Field boxes swapped between two records (same key, same layout) must not open.
TEST(SealedDocument, FieldsSwappedBetweenRecordsFail) {
  SecretKey key = SecretKey::Random();
  auto a = SealDocument(DefaultCipher(), key, "record", Sample("P-1", "Aygul"), 1, 0, "a");
  auto b = SealDocument(DefaultCipher(), key, "record", Sample("P-2", "Nurlan"), 1, 0, "a");
  auto swapped = a;
  swapped.sealed = b.sealed;
  auto r = OpenDocument(DefaultCipher(), key, swapped);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("record P-1"), std::string::npos) << r.status().message();
}

TEST(SealedDocument, TruncationIsDetected) {
  SecretKey key = SecretKey::Random();
  auto stored = SealDocument(DefaultCipher(), key, "record", Sample("P-1", "Ilham"), 1, 0, "a");
  for (size_t n = 0; n < stored.sealed.size(); n += 7) {
    auto bad = stored;
    bad.sealed.resize(n);
    EXPECT_FALSE(OpenDocument(DefaultCipher(), key, bad).ok()) << n;
  }
}

}  // namespace
}  // namespace izde::vault
