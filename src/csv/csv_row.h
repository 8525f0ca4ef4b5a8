// One data row of an import file, with enough context to name its place in messages:
// "people.csv row 812, column birth_date: ...". Row numbers are the ones a spreadsheet
// shows: the header is row 1, the first data row is row 2, and a quoted cell that spans
// several lines is still one row. `line` is where the row starts in a text editor.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace izde::csv {

// The header row of a file, shared by all its rows.
struct Columns {
  std::string file;                // display name used in messages, e.g. "people.csv"
  std::vector<std::string> names;  // in file order; unique and non-empty

  std::optional<size_t> IndexOf(std::string_view name) const;
};

struct Row {
  size_t number = 0;  // spreadsheet row number (header = 1)
  size_t line = 0;    // text-editor line where the row starts (1-based)
  std::vector<std::string> fields;
  std::shared_ptr<const Columns> columns;

  // The field under `column`, or nullptr when the file has no such column.
  const std::string* Find(std::string_view column) const;
  // "people.csv row 812, column birth_date" — the prefix for a message about one field.
  std::string Where(std::string_view column) const;
  // "people.csv row 812" (plus "(line 815)" when a multi-line cell shifted the lines).
  std::string Where() const;
};

}  // namespace izde::csv
