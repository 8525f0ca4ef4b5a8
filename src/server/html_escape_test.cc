#include "server/html_escape.h"

#include <gtest/gtest.h>

namespace izde::server {
namespace {

TEST(EscapeHtml, MetacharactersBecomeEntities) {
  EXPECT_EQ(EscapeHtml(R"(<script>alert("x")</script> & 'y')"),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;");
}

TEST(EscapeHtml, OtherScriptsPassUnchanged) {
  for (const char* s : {"Қалида Ақытхан", "تۇرسۇن", "吐尔逊", "Memet Tursun"})
    EXPECT_EQ(EscapeHtml(s), s);
}

TEST(EscapeHtml, EveryBidiControlIsMadeVisible) {
  const std::pair<const char*, const char*> kCases[] = {
      {"\u202A", "[U+202A]"}, {"\u202B", "[U+202B]"}, {"\u202C", "[U+202C]"},
      {"\u202D", "[U+202D]"}, {"\u202E", "[U+202E]"}, {"\u2066", "[U+2066]"},
      {"\u2067", "[U+2067]"}, {"\u2068", "[U+2068]"}, {"\u2069", "[U+2069]"},
  };
  for (const auto& [in, out] : kCases) {
    EXPECT_EQ(EscapeHtml(std::string("a") + in + "b"), std::string("a") + out + "b") << out;
  }
  // Neighbours of the ranges are ordinary characters (U+2029 paragraph separator,
  // U+202F narrow no-break space, U+2065 unassigned, U+206A).
  for (const char* s : {"\u2029", "\u202F", "\u206A", "\u2014"}) EXPECT_EQ(EscapeHtml(s), s);
}

TEST(EscapeHtml, OverrideHidingMarkupIsNeutralised) {
  std::string evil = "Tursun\u202E<img src=x onerror=alert(1)>\u202C";
  std::string out = EscapeHtml(evil);
  EXPECT_EQ(out.find('<'), std::string::npos);
  EXPECT_EQ(out.find("\u202E"), std::string::npos);
  EXPECT_NE(out.find("[U+202E]&lt;img"), std::string::npos);
}

TEST(EscapeHtml, TruncatedSequencesAtTheEndAreKept) {
  EXPECT_EQ(EscapeHtml("a\xE2\x80"), "a\xE2\x80");
  EXPECT_EQ(EscapeHtml(std::string("a\0b", 3)),
            "a\xEF\xBF\xBD"
            "b");
}

TEST(EscapeUrlComponent, KeepsUnreservedAndEncodesTheRest) {
  EXPECT_EQ(EscapeUrlComponent("Tursun a&b=c/"), "Tursun%20a%26b%3Dc%2F");
  EXPECT_EQ(EscapeUrlComponent("吐"), "%E5%90%90");
}

}  // namespace
}  // namespace izde::server
