#include "ledger/note.h"

#include <gtest/gtest.h>

#include <string>

namespace izde::ledger {
namespace {

// Known answer from Go's golang.org/x/mod/sumdb/note tests, pinned in REFERENCES.md.
constexpr std::string_view kPeterSigner =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
constexpr std::string_view kPeterVerifier =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
constexpr std::string_view kText =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
constexpr std::string_view kSignedNote =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
    "\n"
    "\xE2\x80\x94 PeterNeumann "
    "x08go/ZJkuBS9UG/"
    "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

TEST(Note, ReproducesTheGoKnownAnswer) {
  auto signer = NoteSigner::Parse(kPeterSigner);
  ASSERT_TRUE(signer.ok()) << signer.status().message();
  EXPECT_EQ(signer->verifier().Encode(), kPeterVerifier);
  auto sig = SignNoteText(kText, *signer);
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(FormatNote(Note{std::string(kText), {*sig}}), kSignedNote);

  auto verifier = NoteVerifier::Parse(kPeterVerifier);
  ASSERT_TRUE(verifier.ok()) << verifier.status().message();
  auto opened = OpenNote(kSignedNote, std::span(&*verifier, 1));
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  EXPECT_EQ(opened->note.text, kText);
  ASSERT_EQ(opened->verified.size(), 1u);
  EXPECT_EQ(opened->verified[0].name, "PeterNeumann");
}

TEST(Note, PrivateKeyRoundTripsThroughLockedMemory) {
  auto signer = NoteSigner::Parse(kPeterSigner);
  ASSERT_TRUE(signer.ok());
  SecretBytes enc = signer->EncodePrivate();
  EXPECT_EQ(std::string_view(reinterpret_cast<const char*>(enc.data()), enc.size()), kPeterSigner);
  auto fresh = NoteSigner::Generate("izde.example/log");
  ASSERT_TRUE(fresh.ok());
  SecretBytes fresh_enc = fresh->EncodePrivate();
  auto again = NoteSigner::Parse(
      std::string_view(reinterpret_cast<const char*>(fresh_enc.data()), fresh_enc.size()));
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->verifier().Encode(), fresh->verifier().Encode());
}

TEST(Note, RejectsBadKeys) {
  EXPECT_FALSE(
      NoteVerifier::Parse("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
          .ok());
  EXPECT_FALSE(
      NoteVerifier::Parse("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T")
          .ok());
  EXPECT_FALSE(
      NoteVerifier::Parse("PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
          .ok());
  EXPECT_FALSE(
      NoteVerifier::Parse("Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
          .ok());
  EXPECT_FALSE(NoteVerifier::Parse("+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW").ok());
  EXPECT_FALSE(
      NoteSigner::Parse("PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr").ok());
  EXPECT_FALSE(NoteSigner::Generate("a\xE2\x80\x83"
                                    "b")
                   .ok());  // U+2003 em space
  EXPECT_FALSE(NoteSigner::Generate("a+b").ok());
}

TEST(Note, UnknownKeysAreIgnoredButSomeKnownKeyMustSign) {
  auto peter = NoteSigner::Parse(kPeterSigner);
  auto other = NoteSigner::Generate("other.example/key");
  ASSERT_TRUE(peter.ok() && other.ok());
  Note n{std::string(kText), {*SignNoteText(kText, *other), *SignNoteText(kText, *peter)}};
  std::string bytes = FormatNote(n);
  NoteVerifier v = peter->verifier();
  auto opened = OpenNote(bytes, std::span(&v, 1));
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  EXPECT_EQ(opened->verified.size(), 1u);
  // Same name as a known key but a different id: ignored, so nothing trusted signed.
  Note only_other{std::string(kText), {*SignNoteText(kText, *other)}};
  only_other.signatures[0].name = "PeterNeumann";
  auto rejected = OpenNote(FormatNote(only_other), std::span(&v, 1));
  ASSERT_FALSE(rejected.ok());
  EXPECT_NE(rejected.status().message().find("not signed by any trusted key"), std::string::npos);
}

TEST(Note, AcceptsManySignatures) {
  auto peter = NoteSigner::Parse(kPeterSigner);
  Note n{std::string(kText), {}};
  for (int i = 0; i < 20; ++i) {
    auto s = NoteSigner::Generate("witness.example/" + std::to_string(i));
    n.signatures.push_back(*SignNoteText(kText, *s));
  }
  n.signatures.push_back(*SignNoteText(kText, *peter));
  NoteVerifier v = peter->verifier();
  EXPECT_TRUE(OpenNote(FormatNote(n), std::span(&v, 1)).ok());
}

TEST(Note, MalformedNotesAreRejectedWithAReason) {
  NoteVerifier v = *NoteVerifier::Parse(kPeterVerifier);
  std::string good(kSignedNote);
  struct Case {
    std::string bytes;
    std::string reason;
  } cases[] = {
      {std::string(kText), "no blank line"},
      {std::string(kText) + "\n", "no signature lines"},
      {good.substr(0, good.size() - 1), "end with a newline"},
      {"a\tb\n\n" + good.substr(kText.size() + 1), "control character"},
      {good + good.substr(kText.size() + 1), "signed twice"},
      {std::string(kText) + "\n- PeterNeumann AAAAAAA=\n", "em dash"},
      {std::string(kText) + "\n\xE2\x80\x94 PeterNeumann AAAA\n", "too short"},
      {std::string(kText) + "\n\xE2\x80\x94 PeterNeumann\n", "no space"},
      {std::string(kText) + "\n\xE2\x80\x94 Peter AA$A\n", "not base64"},
      {"\xff\n\n" + good.substr(kText.size() + 1), "UTF-8"},
  };
  for (const Case& c : cases) {
    auto r = OpenNote(c.bytes, std::span(&v, 1));
    ASSERT_FALSE(r.ok()) << c.bytes;
    EXPECT_NE(r.status().message().find(c.reason), std::string::npos)
        << c.reason << " vs " << r.status().message();
  }
}

TEST(Note, FlippingAnyByteOfASignedNoteFailsVerification) {
  NoteVerifier v = *NoteVerifier::Parse(kPeterVerifier);
  std::string good(kSignedNote);
  for (std::size_t i = 0; i < good.size(); ++i) {
    for (std::uint8_t bit : {0x01, 0x20, 0x80}) {
      std::string bad = good;
      bad[i] = static_cast<char>(bad[i] ^ bit);
      auto r = OpenNote(bad, std::span(&v, 1));
      ASSERT_FALSE(r.ok()) << "byte " << i << " bit " << int(bit);
      EXPECT_FALSE(r.status().message().empty());
    }
  }
}

}  // namespace
}  // namespace izde::ledger
