// The person CSV (docs/formats/person-csv.md) as linkage input: id, one name
// built from `name` or from given/family/father parts, father's name, gender,
// birth date, hometown, ID number. Columns the CSV format does not know are
// ignored (and listed, so the caller can say so); structural problems — the
// reader's (quotes, column counts, UTF-8, empty file) and duplicate or empty
// ids — end the read with the file and row named.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "link/fields.h"

namespace izde::link {

Schema PersonSchema();

struct PersonRecords {
  RawRecords records;
  std::vector<std::string> ignored_columns;
};

// `threads`: how many threads normalise the rows once they are read.
Result<PersonRecords> ReadPersonRecords(const std::string& path, int threads = 1);

}  // namespace izde::link
