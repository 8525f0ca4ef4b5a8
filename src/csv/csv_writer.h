// Writes CSV that csv::Reader (and Excel, LibreOffice) read back unchanged: for exports and
// for reject files that list the rows an import refused. A field is quoted only when it
// must be (it contains the delimiter, a quote, CR or LF); quotes inside are doubled.
// Bytes are written as given, so a reject file keeps a bad row exactly as it arrived.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace izde::csv {

struct WriterOptions {
  char delimiter = ',';
  // RFC 4180 asks for CRLF; Excel on every platform reads it.
  std::string line_end = "\r\n";
  // Excel opens a UTF-8 CSV as the local 8-bit encoding unless it starts with a BOM.
  bool byte_order_mark = false;
};

class Writer {
 public:
  // `out` must outlive the Writer; `display_name` names it in messages.
  Writer(std::ostream& out, std::string display_name, WriterOptions options = {});

  Status WriteRow(const std::vector<std::string>& fields);
  Status WriteRow(const std::vector<std::string_view>& fields);
  size_t rows_written() const { return rows_; }

 private:
  void WriteField(std::string_view field);
  Status EndRow();

  std::ostream& out_;
  std::string name_;
  WriterOptions options_;
  size_t rows_ = 0;
};

}  // namespace izde::csv
