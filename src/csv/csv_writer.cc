#include "csv/csv_writer.h"

namespace izde::csv {

Writer::Writer(std::ostream& out, std::string display_name, WriterOptions options)
    : out_(out), name_(std::move(display_name)), options_(std::move(options)) {}

void Writer::WriteField(std::string_view field) {
  const bool needs_quotes =
      field.find_first_of(std::string_view("\"\r\n", 3)) != std::string_view::npos ||
      field.find(options_.delimiter) != std::string_view::npos;
  if (!needs_quotes) {
    out_.write(field.data(), static_cast<std::streamsize>(field.size()));
    return;
  }
  out_.put('"');
  size_t start = 0;
  for (size_t quote = field.find('"'); quote != std::string_view::npos;
       quote = field.find('"', start)) {
    out_.write(field.data() + start, static_cast<std::streamsize>(quote + 1 - start));
    out_.put('"');
    start = quote + 1;
  }
  out_.write(field.data() + start, static_cast<std::streamsize>(field.size() - start));
  out_.put('"');
}

Status Writer::EndRow() {
  out_ << options_.line_end;
  ++rows_;
  if (!out_) {
    return Status::Io(name_ + ": writing row " + std::to_string(rows_) +
                      " failed; is the disk full?");
  }
  return Status::Ok();
}

Status Writer::WriteRow(const std::vector<std::string_view>& fields) {
  if (rows_ == 0 && options_.byte_order_mark) out_ << "\xEF\xBB\xBF";
  // A row of one empty field would be written as an empty line, which readers skip or
  // reject; quoting it keeps the row.
  if (fields.size() == 1 && fields[0].empty()) {
    out_ << "\"\"";
    return EndRow();
  }
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out_.put(options_.delimiter);
    WriteField(fields[i]);
  }
  return EndRow();
}

Status Writer::WriteRow(const std::vector<std::string>& fields) {
  return WriteRow(std::vector<std::string_view>(fields.begin(), fields.end()));
}

}  // namespace izde::csv
