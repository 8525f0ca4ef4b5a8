// The person CSV: the spreadsheet volunteers fill and leaked lists arrive in.
// Columns (header required, any order; docs/formats/person-csv.md):
//   id,name,given_name,family_name,father_name,gender,birth_date,hometown,
//   id_number,source,notes
// `id` and at least one name column are required.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "base/status.h"
#include "csv/csv_reader.h"
#include "model/record.h"

namespace izde::intake {

struct RejectedRow {
  size_t row = 0;
  std::vector<std::string> fields;
  std::string reason;
};

struct PersonCsv {
  std::vector<model::Record> people;
  std::vector<RejectedRow> rejected;  // only with keep_going
  std::vector<std::string> header;
};

// Reads and checks every row. Without keep_going the first bad row ends the
// read with an error naming file, row and column; with it, bad rows are
// collected in `rejected` and reading goes on (errors that make the rest of
// the file unreadable still end it). `progress` gets (bytes read, file size).
Result<PersonCsv> ReadPersonCsv(csv::Reader& reader, bool keep_going,
                                const std::function<void(uint64_t)>& progress = nullptr);

// The columns, in the order izde writes them.
const std::vector<std::string>& PersonCsvColumns();

// One person as a CSV row in PersonCsvColumns() order (for export).
std::vector<std::string> PersonCsvRow(const model::Record& person);

}  // namespace izde::intake
