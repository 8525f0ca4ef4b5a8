// The kinds of record a vault holds and the envelope every record travels in.
// A record's document is JSON in memory only; at rest it is sealed field by
// field (docs/formats/vault.md).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace izde::model {

enum class RecordType {
  kPerson,
  kRelation,
  kWitness,
  kTestimony,
  kSource,
  kEvidence,
  kEvent,
  kFacility,
  // Record linkage in the vault (src/identity, docs/formats/identity.md): a reviewer's
  // decision on a pair of people, the review queue of a linkage run, and an inquiry notice.
  kLink,
  kLinkQueue,
  kNotice
};

std::string_view TypeName(RecordType t);
std::optional<RecordType> ParseType(std::string_view name);
// Names of all types, for messages: "person, relation, witness, ...".
std::string TypeList();

// Record ids are chosen by the user or generated; they are stored in plain
// form, so they must not carry names. Allowed: A-Z a-z 0-9 . _ - (1..64).
Status ValidateRecordId(std::string_view id);
// A fresh id such as "person-7KQ2M9XD4T": type name and 10 random base32 chars.
std::string NewRecordId(RecordType t);

struct Record {
  std::string id;
  RecordType type = RecordType::kPerson;
  nlohmann::json doc = nlohmann::json::object();
};

// Checks a record's document against the model for its type: required fields,
// known enumerations, dates, identifiers. Messages name the field.
Status Validate(const Record& r);

}  // namespace izde::model
