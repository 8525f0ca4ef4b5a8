// A strict, streaming reader for RFC 4180 CSV import files such as people.csv.
//
// Accepted: an optional UTF-8 byte-order mark (Excel writes one); CRLF, LF or CR line ends,
// mixed; a last line with or without a line end; quoted fields with delimiters, doubled
// quotes ("") and line breaks inside; empty lines at the end of the file.
// Rejected, with the file, row and column named: an empty file; a header with an empty or
// repeated column name; a quote that is never closed; a quote inside an unquoted field or
// text after a closing quote; a row whose column count differs from the header's; a field
// that is not valid UTF-8; UTF-16 files; NUL bytes; a field longer than max_field_bytes;
// an empty line between rows.
//
// Problems confined to one row (column count, UTF-8, stray quotes, an empty line) are
// returned for that row, and the next call to Next() continues with the following row,
// so an importer can list every bad row at once. Problems that leave the rest of the file
// unreadable (unclosed quote, NUL byte, UTF-16, over-long field, read error) are final:
// every later call returns the same Status.
//
// The input is read in 64 KiB blocks and scanned with a byte table, so memory use is
// bounded by one row (at most header columns × max_field_bytes) whatever the file size.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "csv/csv_row.h"

namespace izde::csv {

struct Options {
  char delimiter = ',';
  size_t max_field_bytes = size_t{1} << 20;
  size_t max_columns = 256;
};

class Reader {
 public:
  // Reads the file at `path`; messages name it as given.
  static Result<Reader> Open(const std::string& path, Options options = {});
  // Reads from `in`, which must outlive the Reader; messages name it `display_name`.
  static Reader FromStream(std::istream& in, std::string display_name, Options options = {});

  Reader(Reader&&) noexcept;
  Reader& operator=(Reader&&) noexcept;
  ~Reader();

  // Reads row 1, the column names. Must be called once before Next().
  Result<std::vector<std::string>> ReadHeader();
  // The next data row, or std::nullopt at the end of the input.
  Result<std::optional<Row>> Next();

  // The header read by ReadHeader(), or nullptr before it.
  std::shared_ptr<const Columns> columns() const { return columns_; }
  // Spreadsheet number of the last row read (the header is row 1).
  size_t row_number() const { return row_number_; }
  // Bytes of the input consumed so far, for a progress bar.
  uint64_t bytes_read() const { return block_offset_ + pos_; }

 private:
  struct Record;

  Reader(std::unique_ptr<std::istream> owned, std::istream* in, std::string name, Options options);
  Status Refill();
  Status CheckStartOfFile();
  Status ReadRecord(Record& record);
  Status FinishField(Record& record, std::string& field, uint64_t field_offset);
  Status Fail(Status status);
  Result<std::optional<Row>> Deliver(Record record);
  std::string ColumnName(size_t index) const;
  std::string Place(size_t row, size_t line) const;

  std::unique_ptr<std::istream> owned_;  // set when the Reader opened the file itself
  std::istream* in_;
  std::string name_;
  Options options_;
  std::array<bool, 256> ends_unquoted_{};  // bytes that end a run of plain field text
  std::unique_ptr<char[]> block_;
  size_t len_ = 0;             // valid bytes in block_
  size_t pos_ = 0;             // next unread byte in block_
  uint64_t block_offset_ = 0;  // file offset of block_[0]
  bool eof_ = false;
  bool started_ = false;
  bool skip_lf_ = false;  // the last line ended with CR; a following LF belongs to it
  size_t line_ = 1;
  size_t records_ = 0;
  size_t row_number_ = 0;
  Status fatal_;
  std::shared_ptr<const Columns> columns_;
  std::unique_ptr<Record> pending_;  // a row read while looking past an empty line
};

}  // namespace izde::csv
