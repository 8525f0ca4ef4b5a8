// FEBRL benchmark files (../shared/data/febrl): Latin-script person records
// with known duplicates, the entity being the number inside rec_id
// ("rec-123-org", "rec-123-dup-0"). Read into the engine's raw form with a
// schema of per-field comparators.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "link/fields.h"

namespace izde::link {

Schema FebrlSchema();

struct FebrlFile {
  RawRecords records;
  std::vector<std::string> entity;  // per record, the true entity
};

Result<FebrlFile> ReadFebrl(const std::string& path);

}  // namespace izde::link
