#include "csv/csv_reader.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace izde::csv {
namespace {

// What a reader made of a whole input: the header, then one entry per Next() call until
// the end or a final error. A row is its fields joined with '|'; an error is "!" + message.
struct Outcome {
  Status header;
  std::vector<std::string> names;
  std::vector<std::string> rows;
  std::vector<size_t> numbers;
};

Outcome ReadAll(const std::string& text, Options options = {}) {
  std::istringstream in(text);
  Reader reader = Reader::FromStream(in, "people.csv", options);
  Outcome out;
  auto header = reader.ReadHeader();
  if (!header.ok()) {
    out.header = header.status();
    return out;
  }
  out.names = *header;
  // Row errors move on to the next row; final errors repeat, which ends the loop.
  std::string last_error;
  for (int guard = 0; guard < 10000; ++guard) {
    auto row = reader.Next();
    if (!row.ok()) {
      if (row.status().message() == last_error) break;
      last_error = row.status().message();
      out.rows.push_back("!" + last_error);
      out.numbers.push_back(reader.row_number());
      continue;
    }
    last_error.clear();
    if (!row->has_value()) break;
    std::string joined;
    for (size_t i = 0; i < (*row)->fields.size(); ++i) {
      if (i > 0) joined += '|';
      joined += (*row)->fields[i];
    }
    out.rows.push_back(joined);
    out.numbers.push_back((*row)->number);
  }
  return out;
}

bool StartsWith(const std::string& text, const std::string& prefix) {
  return text.rfind(prefix, 0) == 0;
}

TEST(CsvReader, ReadsSimpleRows) {
  auto out = ReadAll("name,birth_date\nQalida,1975\nIlham,about 1969\n");
  ASSERT_TRUE(out.header.ok()) << out.header.message();
  EXPECT_EQ(out.names, (std::vector<std::string>{"name", "birth_date"}));
  EXPECT_EQ(out.rows, (std::vector<std::string>{"Qalida|1975", "Ilham|about 1969"}));
  EXPECT_EQ(out.numbers, (std::vector<size_t>{2, 3}));
}

TEST(CsvReader, StripsByteOrderMark) {
  auto out = ReadAll("\xEF\xBB\xBFname,place\r\nA,B\r\n");
  EXPECT_EQ(out.names, (std::vector<std::string>{"name", "place"}));
  EXPECT_EQ(out.rows, (std::vector<std::string>{"A|B"}));
}

TEST(CsvReader, AcceptsCrlfLfCrAndNoFinalNewline) {
  EXPECT_EQ(ReadAll("a,b\r\n1,2\r\n3,4").rows, (std::vector<std::string>{"1|2", "3|4"}));
  EXPECT_EQ(ReadAll("a,b\n1,2\n3,4\n").rows, (std::vector<std::string>{"1|2", "3|4"}));
  EXPECT_EQ(ReadAll("a,b\r1,2\r3,4\r").rows, (std::vector<std::string>{"1|2", "3|4"}));
  EXPECT_EQ(ReadAll("a,b\r\n1,2\n3,4\r").rows, (std::vector<std::string>{"1|2", "3|4"}));
}

TEST(CsvReader, EmptyFieldsAndTrailingDelimiter) {
  EXPECT_EQ(ReadAll("a,b,c\n,,\n1,,\n").rows, (std::vector<std::string>{"||", "1||"}));
  EXPECT_EQ(ReadAll("a,b\n1,").rows, (std::vector<std::string>{"1|"}));
}

TEST(CsvReader, QuotedFields) {
  auto out = ReadAll(
      "name,notes\n"
      "\"Akytkhan, Qalida\",\"said \"\"he was moved\"\"\"\n"
      "\"B\",\"line one\r\nline two\nline three\"\n"
      "C,\"\"\n");
  EXPECT_EQ(out.rows, (std::vector<std::string>{"Akytkhan, Qalida|said \"he was moved\"",
                                                "B|line one\r\nline two\nline three", "C|"}));
  EXPECT_EQ(out.numbers, (std::vector<size_t>{2, 3, 4}));
}

TEST(CsvReader, MultiLineCellKeepsSpreadsheetRowNumbersAndNamesTheLine) {
  std::istringstream in("a,b\n1,\"x\ny\nz\"\n2,3,4\n");
  Reader reader = Reader::FromStream(in, "people.csv");
  ASSERT_TRUE(reader.ReadHeader().ok());
  auto first = reader.Next();
  ASSERT_TRUE(first.ok());
  EXPECT_EQ((*first)->number, 2u);
  EXPECT_EQ((*first)->line, 2u);
  auto second = reader.Next();
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().message(),
            "people.csv row 3 (line 5) has 3 columns, the header has 2; check for a missing "
            "or extra delimiter or quote");
}

TEST(CsvReader, TrailingEmptyLinesAreTheEnd) {
  EXPECT_EQ(ReadAll("a,b\n1,2\n\n\r\n\n").rows, (std::vector<std::string>{"1|2"}));
}

TEST(CsvReader, EmptyLineBetweenRowsIsReportedThenReadingGoesOn) {
  auto out = ReadAll("a,b\n1,2\n\n\n3,4\n");
  ASSERT_EQ(out.rows.size(), 3u);
  EXPECT_EQ(out.rows[0], "1|2");
  EXPECT_EQ(out.rows[1], "!people.csv row 3: rows 3 to 4 are empty; delete them or fill them in");
  EXPECT_EQ(out.rows[2], "3|4");
  EXPECT_EQ(out.numbers[2], 5u);
}

TEST(CsvReader, QuotedEmptyFieldIsNotAnEmptyLine) {
  EXPECT_EQ(ReadAll("a\n\"\"\nx\n").rows, (std::vector<std::string>{"", "x"}));
}

TEST(CsvReader, OtherDelimiter) {
  Options options;
  options.delimiter = ';';
  EXPECT_EQ(ReadAll("a;b\n1,5;\"x;y\"\n", options).rows, (std::vector<std::string>{"1,5|x;y"}));
}

TEST(CsvReader, RejectsEmptyFile) {
  for (const char* text : {"", "\xEF\xBB\xBF"}) {
    auto out = ReadAll(text);
    EXPECT_EQ(out.header.message(),
              "people.csv: the file is empty; it needs a header row with the column names");
  }
  EXPECT_EQ(ReadAll("\nname\n").header.message(),
            "people.csv row 1: the row is empty; the first row must be the header with the "
            "column names");
}

TEST(CsvReader, HeaderOnlyHasNoRows) {
  auto out = ReadAll("name,place");
  EXPECT_TRUE(out.header.ok());
  EXPECT_TRUE(out.rows.empty());
}

TEST(CsvReader, RejectsBadHeaders) {
  EXPECT_EQ(ReadAll("name,,place\n").header.message(),
            "people.csv row 1: header column 2 has no name; every column needs a name");
  EXPECT_EQ(ReadAll("name,place,name\n").header.message(),
            "people.csv row 1: the header names column 'name' twice (columns 1 and 3); "
            "rename or remove one");
  Options options;
  options.max_columns = 3;
  EXPECT_EQ(ReadAll("a,b,c,d\n", options).header.message(),
            "people.csv: the header has more than 3 columns");
}

TEST(CsvReader, RejectsWrongColumnCountAndGoesOn) {
  auto out = ReadAll("a,b,c\n1,2,3\n1,2\n1,2,3,4\n5,6,7\n");
  EXPECT_EQ(out.rows, (std::vector<std::string>{
                          "1|2|3",
                          "!people.csv row 3 has 2 columns, the header has 3; check for a "
                          "missing or extra delimiter or quote",
                          "!people.csv row 4 has 4 columns, the header has 3; check for a "
                          "missing or extra delimiter or quote",
                          "5|6|7"}));
}

TEST(CsvReader, RejectsUnclosedQuoteNamingWhereItBegan) {
  auto out = ReadAll("name,notes\nA,ok\nB,\"never closed\nC,x\nD,y\n");
  ASSERT_EQ(out.rows.size(), 2u);
  EXPECT_EQ(out.rows[1],
            "!people.csv row 3, column notes: the quoted field that begins on line 3 is never "
            "closed, so the rest of the file was read into it; add the missing closing quote "
            "(\")");
  EXPECT_EQ(out.numbers[1], 3u);
}

TEST(CsvReader, RejectsStrayQuotes) {
  auto out = ReadAll("name,notes\nA,say \"hi\"\n\"B\"x,y\nC,z\n");
  ASSERT_EQ(out.rows.size(), 3u);
  EXPECT_EQ(out.rows[0],
            "!people.csv row 2, column notes: a quote (\") inside a field that does not start "
            "with one; a field with a quote in it must be quoted as a whole, with the quote "
            "doubled: \"say \"\"hello\"\"\"");
  EXPECT_TRUE(StartsWith(out.rows[1],
                         "!people.csv row 3, column name: text after the closing "
                         "quote of a quoted field;"))
      << out.rows[1];
  EXPECT_EQ(out.rows[2], "C|z");
}

TEST(CsvReader, RejectsInvalidUtf8NamingRowColumnAndOffset) {
  // "Қалида" in Windows-1251-like single bytes: not UTF-8.
  auto out = ReadAll("id,name\n7,\xCA\xE0\xEB\n8,ok\n");
  EXPECT_EQ(out.rows,
            (std::vector<std::string>{
                "!people.csv row 2, column name: the text is not valid UTF-8 at byte 1 of the "
                "field (the field starts at byte 11 of the file); the file is probably in "
                "another encoding such as Windows-1251; save it as UTF-8",
                "8|ok"}));
  EXPECT_TRUE(StartsWith(ReadAll("id,name\n7,\"ab\xFF\"\n").rows[0],
                         "!people.csv row 2, column name: the text is not valid UTF-8 at byte 3 "
                         "of the field (the field starts at byte 12 of the file)"));
}

TEST(CsvReader, AcceptsMultilingualUtf8) {
  auto out = ReadAll("name\nҚалида Ақытхан\n阿克提汗\nئىلھام توختى\n");
  EXPECT_EQ(out.rows, (std::vector<std::string>{"Қалида Ақытхан", "阿克提汗", "ئىلھام توختى"}));
}

TEST(CsvReader, RejectsUtf16) {
  const std::string expected =
      "people.csv: the file is UTF-16; save it as UTF-8 (in Excel: Save As, \"CSV UTF-8 "
      "(Comma delimited)\")";
  EXPECT_EQ(ReadAll(std::string("\xFF\xFEn\0a\0", 6)).header.message(), expected);
  EXPECT_EQ(ReadAll(std::string("\xFE\xFF\0n\0a", 6)).header.message(), expected);
  EXPECT_EQ(ReadAll(std::string("n\0a\0m\0e\0", 8)).header.message(),
            "people.csv: the file looks like UTF-16 (it starts with a NUL byte); save it as "
            "UTF-8");
}

TEST(CsvReader, RejectsNulByte) {
  auto out = ReadAll(std::string("a,b\n1,x\0y\n2,3\n", 15));
  ASSERT_EQ(out.rows.size(), 1u);
  EXPECT_EQ(out.rows[0],
            "!people.csv row 2, column b: NUL byte at byte 8 of the file; the file is damaged, "
            "not text, or UTF-16 (save it as UTF-8)");
}

TEST(CsvReader, RejectsOverlongFieldWithoutReadingItAll) {
  Options options;
  options.max_field_bytes = 1 << 20;
  std::string text = "a,b\n1,2\n3,";
  text.append(100 << 20, 'x');  // a 100 MB line
  std::istringstream in(text);
  Reader reader = Reader::FromStream(in, "people.csv", options);
  ASSERT_TRUE(reader.ReadHeader().ok());
  ASSERT_TRUE(reader.Next().ok());
  auto row = reader.Next();
  ASSERT_FALSE(row.ok());
  EXPECT_EQ(row.status().message(),
            "people.csv row 3, column b: a field is longer than 1 MiB; is this really the "
            "people file, and are its quotes balanced?");
  EXPECT_LT(reader.bytes_read(), uint64_t{2} << 20);
  EXPECT_EQ(reader.Next().status().message(), row.status().message());  // final
}

TEST(CsvReader, OverlongQuotedField) {
  Options options;
  options.max_field_bytes = 10;
  auto out = ReadAll("a\n\"0123456789\"\n\"0123456789\n\"\n", options);
  ASSERT_EQ(out.rows.size(), 2u);
  EXPECT_EQ(out.rows[0], "0123456789");
  EXPECT_TRUE(StartsWith(out.rows[1],
                         "!people.csv row 3, column a: a field is longer than 10 "
                         "bytes;"))
      << out.rows[1];
}

TEST(CsvReader, NextBeforeHeaderIsAnError) {
  std::istringstream in("a\n1\n");
  Reader reader = Reader::FromStream(in, "people.csv");
  EXPECT_FALSE(reader.Next().ok());
}

TEST(CsvReader, RowFindAndWhere) {
  std::istringstream in("name,birth_date\nA,1975-13-02\n");
  Reader reader = Reader::FromStream(in, "people.csv");
  ASSERT_TRUE(reader.ReadHeader().ok());
  auto row = reader.Next();
  ASSERT_TRUE(row.ok() && row->has_value());
  const Row& r = **row;
  ASSERT_NE(r.Find("birth_date"), nullptr);
  EXPECT_EQ(*r.Find("birth_date"), "1975-13-02");
  EXPECT_EQ(r.Find("death_date"), nullptr);
  EXPECT_EQ(r.Where("birth_date"), "people.csv row 2, column birth_date");
  EXPECT_EQ(reader.row_number(), 2u);
}

TEST(CsvReader, ReadsAcrossBlockBoundaries) {
  // Rows long enough that fields, quotes and CRLF pairs straddle the 64 KiB blocks.
  std::string text = "a,b\r\n";
  std::vector<std::string> expected;
  for (int i = 0; i < 3000; ++i) {
    std::string a(i % 97, 'k');
    std::string b = "\"q" + std::to_string(i) + "\"\"\r\n\"";
    text += a + "," + b + "\r\n";
    expected.push_back(a + "|q" + std::to_string(i) + "\"\r\n");
  }
  auto out = ReadAll(text);
  EXPECT_EQ(out.rows, expected);
}

TEST(CsvReader, BytesReadCountsTheWholeInput) {
  const std::string text =
      "\xEF\xBB\xBF"
      "a,b\n1,2\n";
  std::istringstream in(text);
  Reader reader = Reader::FromStream(in, "people.csv");
  ASSERT_TRUE(reader.ReadHeader().ok());
  while (true) {
    auto row = reader.Next();
    ASSERT_TRUE(row.ok());
    if (!row->has_value()) break;
  }
  EXPECT_EQ(reader.bytes_read(), text.size());
}

TEST(CsvReader, OpenFile) {
  const auto path = std::filesystem::temp_directory_path() / "izde_csv_reader_test.csv";
  { std::ofstream(path, std::ios::binary) << "name\nA\n"; }
  auto reader = Reader::Open(path.string());
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  EXPECT_TRUE(reader->ReadHeader().ok());
  auto row = reader->Next();
  ASSERT_TRUE(row.ok() && row->has_value());
  EXPECT_EQ((*row)->fields[0], "A");
  std::filesystem::remove(path);

  auto missing = Reader::Open("no/such/people.csv");
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(missing.status().message(), "no/such/people.csv: there is no such file");
  auto folder = Reader::Open(std::filesystem::temp_directory_path().string());
  EXPECT_FALSE(folder.ok());
}

}  // namespace
}  // namespace izde::csv
