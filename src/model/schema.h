// The field tables behind validation: one FieldSpec per document field.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "model/record.h"

namespace izde::model {

enum class FieldKind {
  kText,         // a string
  kEnum,         // a string from `choices`
  kDate,         // a partial date string ("spring 2018"), see src/dates
  kRecordRef,    // the id of another record
  kRefList,      // an array of record ids
  kTextList,     // an array of strings
  kNameForms,    // an array of {text, script, part, source}
  kIdentifiers,  // an array of {kind, value, source}
  kConsent,      // an object of booleans
  kNumber,       // a JSON number within [min, max]
  kSha256,       // 64 lowercase hex characters
  kObject,       // free-form JSON object (capture metadata)
};

struct FieldSpec {
  std::string_view name;
  FieldKind kind;
  bool required = false;
  std::vector<std::string_view> choices = {};
  double min = 0, max = 0;
};

std::span<const FieldSpec> FieldsOf(RecordType type);

extern const std::vector<std::string_view> kNameParts;
extern const std::vector<std::string_view> kIdentifierKinds;
extern const std::vector<std::string_view> kConsentItems;

}  // namespace izde::model
