#include "csv/csv_reader.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "csv/utf8.h"

namespace izde::csv {
namespace {

constexpr size_t kBlockBytes = 64 * 1024;

std::string Plural(size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

std::string SizeText(size_t bytes) {
  if (bytes >= (size_t{1} << 20) && bytes % (size_t{1} << 20) == 0) {
    return std::to_string(bytes >> 20) + " MiB";
  }
  if (bytes >= 1024 && bytes % 1024 == 0) return std::to_string(bytes >> 10) + " KiB";
  return Plural(bytes, "byte");
}

}  // namespace

// A record as parsed, before it is checked against the header.
struct Reader::Record {
  size_t number = 0;
  size_t line = 0;
  std::vector<std::string> fields;
  size_t field_count = 0;  // may exceed fields.size(): extra fields are counted, not kept
  bool blank = false;
  bool end_of_input = false;
  Status problem;  // first problem confined to this record
};

Reader::Reader(std::unique_ptr<std::istream> owned, std::istream* in, std::string name,
               Options options)
    : owned_(std::move(owned)),
      in_(in),
      name_(std::move(name)),
      options_(options),
      block_(new char[kBlockBytes]) {
  for (unsigned char c : {'"', '\n', '\r', '\0'}) ends_unquoted_[c] = true;
  ends_unquoted_[static_cast<unsigned char>(options_.delimiter)] = true;
}

Reader::Reader(Reader&&) noexcept = default;
Reader& Reader::operator=(Reader&&) noexcept = default;
Reader::~Reader() = default;

Result<Reader> Reader::Open(const std::string& path, Options options) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Status::InvalidInput(path + ": this is a folder, not a CSV file");
  }
  auto file = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!file->is_open()) {
    const int err = errno;
    if (err == EACCES) {
      return Status::PermissionDenied(path + ": no permission to read this file");
    }
    if (err == ENOENT) return Status::NotFound(path + ": there is no such file");
    return Status::Io(path + ": cannot open the file: " + std::strerror(err));
  }
  std::istream* in = file.get();
  return Reader(std::move(file), in, path, options);
}

Reader Reader::FromStream(std::istream& in, std::string display_name, Options options) {
  return Reader(nullptr, &in, std::move(display_name), options);
}

Status Reader::Fail(Status status) {
  fatal_ = status;
  return status;
}

std::string Reader::Place(size_t row, size_t line) const {
  std::string place = name_ + " row " + std::to_string(row);
  if (line != row) place += " (line " + std::to_string(line) + ")";
  return place;
}

std::string Reader::ColumnName(size_t index) const {
  if (columns_ && index < columns_->names.size()) return columns_->names[index];
  if (columns_) return std::to_string(index + 1) + " (beyond the header)";
  return std::to_string(index + 1);
}

Status Reader::Refill() {
  block_offset_ += len_;
  pos_ = 0;
  len_ = 0;
  if (eof_) return Status::Ok();
  in_->read(block_.get(), kBlockBytes);
  len_ = static_cast<size_t>(in_->gcount());
  if (in_->bad())
    return Status::Io(name_ + ": reading the file failed after " +
                      Plural(block_offset_ + len_, "byte"));
  if (len_ < kBlockBytes) eof_ = true;
  return Status::Ok();
}

Status Reader::CheckStartOfFile() {
  started_ = true;
  IZDE_RETURN_IF_ERROR(Refill());
  const auto* b = reinterpret_cast<const unsigned char*>(block_.get());
  if (len_ >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF))) {
    return Status::InvalidInput(name_ +
                                ": the file is UTF-16; save it as UTF-8 (in Excel: "
                                "Save As, \"CSV UTF-8 (Comma delimited)\")");
  }
  if (len_ >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) pos_ = 3;
  return Status::Ok();
}

Status Reader::FinishField(Record& record, std::string& field, uint64_t field_offset) {
  const size_t index = record.field_count++;
  const size_t limit = columns_ ? columns_->names.size() : options_.max_columns;
  if (index >= limit) {
    field.clear();
    if (columns_) return Status::Ok();  // counted for the column-count message
    return Status::InvalidInput(name_ + ": the header has more than " +
                                std::to_string(options_.max_columns) + " columns");
  }
  if (record.problem.ok()) {
    if (const auto bad = FirstInvalidUtf8Byte(field)) {
      record.problem = Status::InvalidInput(
          Place(record.number, record.line) + ", column " + ColumnName(index) +
          ": the text is not valid UTF-8 at byte " + std::to_string(*bad + 1) +
          " of the field (the field starts at byte " + std::to_string(field_offset + 1) +
          " of the file); the file is probably in another encoding such as Windows-1251; "
          "save it as UTF-8");
    }
  }
  record.fields.push_back(std::move(field));
  field.clear();
  return Status::Ok();
}

Status Reader::ReadRecord(Record& record) {
  enum class State { kFieldStart, kUnquoted, kQuoted, kAfterQuote };
  if (!started_) IZDE_RETURN_IF_ERROR(CheckStartOfFile());

  record = Record();
  record.number = ++records_;
  record.line = line_;
  if (columns_) record.fields.reserve(columns_->names.size());
  std::string field;
  uint64_t field_offset = bytes_read();
  size_t quote_line = line_;
  bool quoted = false;  // some field of this record was quoted, so it is not an empty line
  State state = State::kFieldStart;
  const char delimiter = options_.delimiter;

  auto field_too_long = [&] {
    return Status::InvalidInput(Place(record.number, record.line) + ", column " +
                                ColumnName(record.field_count) + ": a field is longer than " +
                                SizeText(options_.max_field_bytes) +
                                "; is this really the people file, and are its quotes "
                                "balanced?");
  };
  auto append = [&](const char* data, size_t n) -> bool {
    if (field.size() + n > options_.max_field_bytes) return false;
    field.append(data, n);
    return true;
  };
  auto nul_byte = [&] {
    const uint64_t offset = bytes_read();
    if (offset < 2) {
      return Status::InvalidInput(name_ +
                                  ": the file looks like UTF-16 (it starts with a NUL "
                                  "byte); save it as UTF-8");
    }
    return Status::InvalidInput(Place(record.number, record.line) + ", column " +
                                ColumnName(record.field_count) + ": NUL byte at byte " +
                                std::to_string(offset + 1) +
                                " of the file; the file is damaged, not text, or UTF-16 "
                                "(save it as UTF-8)");
  };
  auto stray_quote = [&](const char* what) {
    if (!record.problem.ok()) return;
    record.problem = Status::InvalidInput(
        Place(record.number, record.line) + ", column " + ColumnName(record.field_count) + ": " +
        what +
        "; a field with a quote in it must be quoted as a whole, with the quote doubled: "
        "\"say \"\"hello\"\"\"");
  };

  for (;;) {
    if (pos_ == len_) {
      IZDE_RETURN_IF_ERROR(Refill());
      if (len_ == 0) break;
    }
    const char* data = block_.get();
    if (skip_lf_) {
      skip_lf_ = false;
      if (data[pos_] == '\n') {
        ++pos_;
        continue;
      }
    }
    switch (state) {
      case State::kFieldStart:
        field_offset = bytes_read();
        if (data[pos_] == '"') {
          state = State::kQuoted;
          quoted = true;
          quote_line = line_;
          ++pos_;
          field_offset = bytes_read();
          continue;
        }
        state = State::kUnquoted;
        [[fallthrough]];
      case State::kUnquoted: {
        size_t end = pos_;
        while (end < len_ && !ends_unquoted_[static_cast<unsigned char>(data[end])]) ++end;
        if (!append(data + pos_, end - pos_)) return field_too_long();
        pos_ = end;
        if (pos_ == len_) continue;
        const char c = data[pos_++];
        if (c == delimiter) {
          IZDE_RETURN_IF_ERROR(FinishField(record, field, field_offset));
          state = State::kFieldStart;
        } else if (c == '\n' || c == '\r') {
          ++line_;
          skip_lf_ = c == '\r';
          record.blank = record.field_count == 0 && field.empty() && !quoted;
          if (!record.blank) IZDE_RETURN_IF_ERROR(FinishField(record, field, field_offset));
          return Status::Ok();
        } else if (c == '"') {
          stray_quote("a quote (\") inside a field that does not start with one");
          if (!append(&c, 1)) return field_too_long();
        } else {
          --pos_;
          return nul_byte();
        }
        continue;
      }
      case State::kQuoted: {
        size_t end = pos_;
        while (end < len_ && data[end] != '"' && data[end] != '\n' && data[end] != '\0') ++end;
        if (!append(data + pos_, end - pos_)) return field_too_long();
        pos_ = end;
        if (pos_ == len_) continue;
        const char c = data[pos_];
        if (c == '\0') return nul_byte();
        ++pos_;
        if (c == '"') {
          state = State::kAfterQuote;
        } else {
          ++line_;
          if (!append(&c, 1)) return field_too_long();
        }
        continue;
      }
      case State::kAfterQuote: {
        const char c = data[pos_];
        if (c == '"') {
          ++pos_;
          if (!append(&c, 1)) return field_too_long();
          state = State::kQuoted;
        } else if (c == delimiter || c == '\n' || c == '\r') {
          state = State::kUnquoted;  // lets the unquoted case end the field or the row
        } else if (c == '\0') {
          return nul_byte();
        } else {
          stray_quote("text after the closing quote of a quoted field");
          state = State::kUnquoted;
        }
        continue;
      }
    }
  }

  // End of input.
  if (state == State::kQuoted) {
    return Status::InvalidInput(
        Place(record.number, record.line) + ", column " + ColumnName(record.field_count) +
        ": the quoted field that begins on line " + std::to_string(quote_line) +
        " is never closed, so the rest of the file was read into it; add the missing "
        "closing quote (\")");
  }
  if (state == State::kFieldStart && record.field_count == 0) {
    --records_;
    record.end_of_input = true;
    return Status::Ok();
  }
  return FinishField(record, field, field_offset);
}

Result<std::vector<std::string>> Reader::ReadHeader() {
  if (!fatal_.ok()) return fatal_;
  if (columns_) return columns_->names;
  Record record;
  if (Status s = ReadRecord(record); !s.ok()) return Fail(s);
  row_number_ = record.number;
  if (record.end_of_input) {
    return Fail(Status::InvalidInput(name_ + ": the file is empty; it needs a header row "
                                             "with the column names"));
  }
  if (record.blank) {
    return Fail(Status::InvalidInput(name_ + " row 1: the row is empty; the first row must "
                                             "be the header with the column names"));
  }
  if (!record.problem.ok()) return Fail(record.problem);
  for (size_t i = 0; i < record.fields.size(); ++i) {
    const std::string& name = record.fields[i];
    if (name.empty()) {
      return Fail(Status::InvalidInput(name_ + " row 1: header column " + std::to_string(i + 1) +
                                       " has no name; every column needs a name"));
    }
    for (size_t j = 0; j < i; ++j) {
      if (record.fields[j] == name) {
        return Fail(Status::InvalidInput(name_ + " row 1: the header names column '" + name +
                                         "' twice (columns " + std::to_string(j + 1) + " and " +
                                         std::to_string(i + 1) + "); rename or remove one"));
      }
    }
  }
  auto columns = std::make_shared<Columns>();
  columns->file = name_;
  columns->names = std::move(record.fields);
  columns_ = std::move(columns);
  return columns_->names;
}

Result<std::optional<Row>> Reader::Next() {
  if (!fatal_.ok()) return fatal_;
  if (!columns_) {
    return Status::InvalidInput(name_ +
                                ": the header must be read before the rows "
                                "(call ReadHeader first)");
  }
  if (pending_) {
    Record record = std::move(*pending_);
    pending_.reset();
    return Deliver(std::move(record));
  }
  Record record;
  size_t first_blank = 0;
  size_t first_blank_line = 0;
  size_t last_blank = 0;
  for (;;) {
    if (Status s = ReadRecord(record); !s.ok()) {
      row_number_ = record.number;
      return Fail(s);
    }
    if (record.end_of_input) return std::optional<Row>();  // empty lines at the end are fine
    if (!record.blank) break;
    if (first_blank == 0) {
      first_blank = record.number;
      first_blank_line = record.line;
    }
    last_blank = record.number;
  }
  if (first_blank != 0) {
    // Empty lines between rows are rejected rather than skipped: they are often where
    // something was deleted by mistake, and skipping them would hide that.
    row_number_ = last_blank;
    pending_ = std::make_unique<Record>(std::move(record));
    const std::string what = first_blank == last_blank
                                 ? "the row is empty; delete it or fill it in"
                                 : "rows " + std::to_string(first_blank) + " to " +
                                       std::to_string(last_blank) +
                                       " are empty; delete them or fill them in";
    return Status::InvalidInput(Place(first_blank, first_blank_line) + ": " + what);
  }
  return Deliver(std::move(record));
}

Result<std::optional<Row>> Reader::Deliver(Record record) {
  row_number_ = record.number;
  if (!record.problem.ok()) return record.problem;
  if (record.field_count != columns_->names.size()) {
    return Status::InvalidInput(Place(record.number, record.line) + " has " +
                                Plural(record.field_count, "column") + ", the header has " +
                                std::to_string(columns_->names.size()) +
                                "; check for a missing or extra delimiter or quote");
  }
  Row row;
  row.number = record.number;
  row.line = record.line;
  row.fields = std::move(record.fields);
  row.columns = columns_;
  return std::optional<Row>(std::move(row));
}

}  // namespace izde::csv
