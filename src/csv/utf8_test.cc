#include "csv/utf8.h"

#include <gtest/gtest.h>

namespace izde::csv {
namespace {

TEST(Utf8, AcceptsValidText) {
  EXPECT_EQ(FirstInvalidUtf8Byte(""), std::nullopt);
  EXPECT_EQ(FirstInvalidUtf8Byte("plain ascii text longer than eight bytes"), std::nullopt);
  EXPECT_EQ(FirstInvalidUtf8Byte("Қалида Ақытхан 阿克提汗 ئىلھام 𝄞"), std::nullopt);
  EXPECT_EQ(FirstInvalidUtf8Byte("\xF4\x8F\xBF\xBF"), std::nullopt);  // U+10FFFF
}

TEST(Utf8, FindsTheFirstBadByte) {
  EXPECT_EQ(FirstInvalidUtf8Byte("abcdefghij\xFF"), 10u);   // after the ASCII fast path
  EXPECT_EQ(FirstInvalidUtf8Byte("\xCA\xE0\xEB"), 0u);      // Windows-1251 "Кал"
  EXPECT_EQ(FirstInvalidUtf8Byte("ok\xC3"), 2u);            // truncated sequence
  EXPECT_EQ(FirstInvalidUtf8Byte("\xC0\xAF"), 0u);          // overlong '/'
  EXPECT_EQ(FirstInvalidUtf8Byte("\xE0\x80\xAF"), 0u);      // overlong, 3 bytes
  EXPECT_EQ(FirstInvalidUtf8Byte("\xF0\x80\x80\xAF"), 0u);  // overlong, 4 bytes
  EXPECT_EQ(FirstInvalidUtf8Byte("x\xED\xA0\x80"), 1u);     // surrogate half
  EXPECT_EQ(FirstInvalidUtf8Byte("\xF4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(FirstInvalidUtf8Byte("\xE4\xB8"), 0u);          // cut 3-byte sequence
  EXPECT_EQ(FirstInvalidUtf8Byte("\x80"), 0u);              // lone continuation
}

}  // namespace
}  // namespace izde::csv
