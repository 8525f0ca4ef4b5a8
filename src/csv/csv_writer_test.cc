#include "csv/csv_writer.h"

#include <gtest/gtest.h>

#include <random>
#include <sstream>

#include "csv/csv_reader.h"

namespace izde::csv {
namespace {

std::string Write(const std::vector<std::vector<std::string>>& rows, WriterOptions options = {}) {
  std::ostringstream out;
  Writer writer(out, "rejects.csv", options);
  for (const auto& row : rows) EXPECT_TRUE(writer.WriteRow(row).ok());
  EXPECT_EQ(writer.rows_written(), rows.size());
  return out.str();
}

TEST(CsvWriter, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(Write({{"name", "notes"},
                   {"Qalida Akytkhan", "plain"},
                   {"Akytkhan, Qalida", "say \"hi\""},
                   {"two\nlines", "cr\rhere"},
                   {"", " spaced "}}),
            "name,notes\r\n"
            "Qalida Akytkhan,plain\r\n"
            "\"Akytkhan, Qalida\",\"say \"\"hi\"\"\"\r\n"
            "\"two\nlines\",\"cr\rhere\"\r\n"
            ", spaced \r\n");
}

TEST(CsvWriter, OptionsAndLoneEmptyField) {
  WriterOptions options;
  options.delimiter = ';';
  options.line_end = "\n";
  options.byte_order_mark = true;
  EXPECT_EQ(Write({{"a;b", "c,d"}, {""}}, options), "\xEF\xBB\xBF\"a;b\";c,d\n\"\"\n");
}

TEST(CsvWriter, ReportsAFailedStream) {
  std::ostringstream out;
  out.setstate(std::ios::badbit);
  Writer writer(out, "rejects.csv");
  Status status = writer.WriteRow(std::vector<std::string>{"x"});
  EXPECT_EQ(status.code(), Status::Code::kIo);
  EXPECT_EQ(status.message(), "rejects.csv: writing row 1 failed; is the disk full?");
}

// What the writer writes, the reader reads back unchanged, for awkward random fields.
TEST(CsvWriter, RoundTripsThroughTheReader) {
  const std::vector<std::string> pieces = {"a",  "Қ",  "阿",   "ئ", ",",    ";",   "\"",
                                           "\n", "\r", "\r\n", " ", "\"\"", "x y", "1975"};
  std::mt19937 rng(2017);
  for (int round = 0; round < 200; ++round) {
    WriterOptions options;
    options.delimiter = round % 2 ? ',' : ';';
    options.line_end = round % 3 ? "\r\n" : "\n";
    options.byte_order_mark = round % 4 == 0;
    const size_t columns = 1 + rng() % 5;
    std::vector<std::vector<std::string>> rows;
    rows.assign(1 + rng() % 10, {});
    for (size_t r = 0; r < rows.size(); ++r) {
      for (size_t c = 0; c < columns; ++c) {
        std::string field;
        const size_t n = (r == 0 ? 1 : 0) + rng() % 4;  // header names are never empty
        for (size_t k = 0; k < n; ++k) field += pieces[rng() % pieces.size()];
        if (r == 0) field.append("#").append(std::to_string(c));  // and unique
        rows[r].push_back(field);
      }
    }
    const std::string text = Write(rows, options);
    std::istringstream in(text);
    Options read_options;
    read_options.delimiter = options.delimiter;
    Reader reader = Reader::FromStream(in, "export.csv", read_options);
    auto header = reader.ReadHeader();
    ASSERT_TRUE(header.ok()) << header.status().message();
    EXPECT_EQ(*header, rows[0]);
    for (size_t r = 1; r < rows.size(); ++r) {
      auto row = reader.Next();
      ASSERT_TRUE(row.ok()) << row.status().message() << "\n" << text;
      ASSERT_TRUE(row->has_value());
      EXPECT_EQ((*row)->fields, rows[r]);
    }
    auto end = reader.Next();
    ASSERT_TRUE(end.ok());
    EXPECT_FALSE(end->has_value());
  }
}

}  // namespace
}  // namespace izde::csv
