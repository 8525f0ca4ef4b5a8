// The public dataset: what a proof bundle reveals, read back into records and joined per
// person (events, testimonies, relations, evidence). The site and the open files are built
// from this alone, never from the vault, so nothing the bundle withholds can reach them.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "ledger/bundle.h"
#include "model/record.h"

namespace izde::publish {

struct PublicRecord {
  std::string id;
  model::RecordType type = model::RecordType::kPerson;
  uint64_t version = 0;
  uint64_t leaf = 0;      // its index in the log
  nlohmann::json fields;  // revealed field -> value (JSON as in the record)
  // The field as text ("" when absent or not a string).
  std::string Text(const char* field) const;
};

struct PersonEntry {
  const PublicRecord* person = nullptr;
  std::vector<const PublicRecord*> events;  // by date, undated last
  std::vector<const PublicRecord*> testimonies, relations, evidence;
  std::string status;           // the kind of the latest dated event ("" if none)
  int64_t status_date = 0;      // its date as YYYYMMDD-like key; 0 when undated
  std::string display_name;     // the first name form, or the id
  int first_detained_year = 0;  // year of the earliest detained / held event, 0 if none
};

struct PublicDataset {
  std::string log_key, checkpoint, origin;
  uint64_t log_size = 0;
  std::vector<PublicRecord> records;
  std::unordered_map<std::string, size_t> by_id;
  std::unordered_map<std::string, uint64_t> evidence_leaf;  // evidence id -> file leaf
  std::vector<PersonEntry> people;                          // in bundle order

  const PublicRecord* Find(const std::string& id) const;
  // The first name form of a facility or person, else the id.
  std::string NameOf(const std::string& id) const;
};

Result<PublicDataset> ReadBundle(const ledger::Bundle& bundle);

}  // namespace izde::publish
