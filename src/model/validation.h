// The shape of each record type's document: which fields exist, which are
// required, which values are allowed. docs/formats/records.md lists the same.
#pragma once

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "model/record.h"

namespace izde::model {

Status ValidateDocument(RecordType type, const nlohmann::json& doc);

// Field names that hold text which must be findable (names in every script,
// testimony text); used by the search index.
bool IsNameField(RecordType type, std::string_view field);

}  // namespace izde::model
