#include "csv/csv_row.h"

namespace izde::csv {

std::optional<size_t> Columns::IndexOf(std::string_view name) const {
  // Import files have tens of columns; a linear scan beats building a map per file.
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return i;
  }
  return std::nullopt;
}

const std::string* Row::Find(std::string_view column) const {
  if (!columns) return nullptr;
  const auto index = columns->IndexOf(column);
  if (!index || *index >= fields.size()) return nullptr;
  return &fields[*index];
}

std::string Row::Where() const {
  std::string where =
      (columns ? columns->file : std::string("input")) + " row " + std::to_string(number);
  if (line != number) where += " (line " + std::to_string(line) + ")";
  return where;
}

std::string Row::Where(std::string_view column) const {
  return Where() + ", column " + std::string(column);
}

}  // namespace izde::csv
