#include "estimate/capture_table.h"

#include <gtest/gtest.h>

#include <sstream>

#include "estimate/test_data.h"

namespace izde::estimate {
namespace {

Result<CaptureTable> Parse(const std::string& text) {
  std::istringstream in(text);
  return ReadCaptureCounts(in, "counts.csv");
}

TEST(CaptureTable, ReadsKosovo) {
  Result<CaptureTable> t = ReadCaptureCounts(MseDataPath("kosovo.csv"));
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->num_lists(), 4);
  EXPECT_EQ(t->observed(), 4400);
  EXPECT_EQ(t->counts[0b1000], 306);   // pattern 0001: HRW only
  EXPECT_EQ(t->counts[0b0001], 1131);  // pattern 1000: EXH only
  EXPECT_EQ(t->Pattern(0b0001), "1000");
}

TEST(CaptureTable, NamesListsFromComment) {
  Result<CaptureTable> t = Parse("# lists: EXH, ABA\npattern,count\n10,5\n01,3\n11,2\n");
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->lists, (std::vector<std::string>{"EXH", "ABA"}));
  EXPECT_EQ(t->counts[0b11], 2);
}

TEST(CaptureTable, AcceptsSpreadsheetExports) {
  // Byte-order mark, quoted fields and Windows line ends, as spreadsheet programs write.
  Result<CaptureTable> t = Parse("\xEF\xBB\xBF\"pattern\",\"count\"\r\n\"110\",\"7\"\r\n001,2\r\n");
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->counts[0b011], 7);
  EXPECT_EQ(t->counts[0b100], 2);
}

TEST(CaptureTable, AbsentPatternsCountZero) {
  Result<CaptureTable> t = Parse("pattern,count\n100,5\n010,3\n");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->counts[0b100], 0);
  EXPECT_EQ(t->lists, (std::vector<std::string>{"1", "2", "3"}));
}

struct BadInput {
  std::string name;
  std::string text;
  std::string expected;  // part of the message
};

// Printed in test listings instead of the struct's raw bytes.
void PrintTo(const BadInput& input, std::ostream* os) { *os << input.name; }

class CaptureTableRejects : public testing::TestWithParam<BadInput> {};

TEST_P(CaptureTableRejects, WithLineInMessage) {
  Result<CaptureTable> t = Parse(GetParam().text);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find(GetParam().expected), std::string::npos)
      << t.status().message();
}

INSTANTIATE_TEST_SUITE_P(
    BadFiles, CaptureTableRejects,
    testing::Values(
        BadInput{"BadDigit", "pattern,count\n10,5\n1x,3\n", "line 3: pattern '1x'"},
        BadInput{"WrongDigitCount", "pattern,count\n10,5\n101,3\n",
                 "line 3: pattern '101' has 3 digits"},
        BadInput{"NegativeCount", "pattern,count\n10,-5\n", "line 2: count -5 is negative"},
        BadInput{"FractionalCount", "pattern,count\n10,2.5\n",
                 "line 2: count '2.5' is not a whole"},
        BadInput{"EmptyCount", "pattern,count\n10,\n", "line 2: count '' is not a whole"},
        BadInput{"DuplicatePattern", "pattern,count\n10,5\n01,1\n10,3\n",
                 "line 4: pattern '10' already"},
        BadInput{"AllZeroPattern", "pattern,count\n00,5\n", "line 2: the all-zero pattern"},
        BadInput{"SingleList", "pattern,count\n1,5\n", "a single list"},
        BadInput{"ThreeColumns", "pattern,count\n10,5,1\n", "line 2: expected two columns"},
        BadInput{"BadHeader", "pat,count\n10,5\n", "line 1: expected the header"},
        BadInput{"NobodyAtAll", "pattern,count\n10,0\n01,0\n", "holds no one"},
        BadInput{"Semicolons", "pattern;count\n10;5\n", "line 1: fields are separated by ';'"},
        BadInput{"LeadingZerosLost", "pattern,count\n011,5\n10,1\n", "dropped leading zeros"},
        BadInput{"HugeCount", "pattern,count\n10,5000000000000\n", "implausibly large"},
        BadInput{"DuplicateListName", "# lists: a,a\npattern,count\n10,1\n", "'a' appears twice"},
        BadInput{"EmptyListName", "# lists: a,\npattern,count\n10,1\n", "list 2 has an empty name"},
        BadInput{"ListCommentMismatch", "# lists: a,b,c\npattern,count\n10,1\n", "names 3 lists"}),
    [](const testing::TestParamInfo<BadInput>& info) { return info.param.name; });

TEST(CaptureTable, MissingFileIsAnIoError) {
  Result<CaptureTable> t = ReadCaptureCounts("/nonexistent/counts.csv");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), Status::Code::kIo);
}

}  // namespace
}  // namespace izde::estimate
