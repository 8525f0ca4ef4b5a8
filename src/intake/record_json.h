// Records as JSON, for `izde import FILE.json`, `izde add TYPE --json FILE`
// and `izde export --format json`. A file holds {"records": [...]} or a bare
// array; each record is {"type": "person", "id": "P-1", ...fields}.
// docs/formats/records-json.md.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "model/record.h"

namespace izde::intake {

// Parses and validates; the first problem ends the read with a message naming
// the file, the record's position and id, and the field.
Result<std::vector<model::Record>> ReadRecordsJson(const std::string& path);

// One record from a JSON object; `type` overrides or supplies the "type" key
// and an id is generated when missing.
Result<model::Record> RecordFromJson(nlohmann::json obj, const std::string& type_hint);

nlohmann::json RecordToJson(const model::Record& r);

}  // namespace izde::intake
