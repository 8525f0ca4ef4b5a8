// The ledger leaf for one version of one record, and its selective disclosure.
//
// Each field is logged only as a salted commitment
//   SHA-256(salt[32] || u32be len(name) || name || u32be len(value) || value)
// and the leaf holds the commitments sorted bytewise, so the public log reveals neither
// field names nor values, and a guessed name cannot be confirmed without the salt.
// Entry bytes (leaf hash = RFC 9162 HashLeaf(entry)):
//   u8 0x01 | str16 record_id | str16 record_type | u64be version
//   | previous leaf hash[32] (zeros for version 1) | u16be n | n sorted commitments[32]
// Full specification: docs/formats/ledger.md.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "ledger/merkle_hash.h"

namespace izde::ledger {

inline constexpr std::uint8_t kRecordLeafKind = 0x01;
inline constexpr std::size_t kSaltSize = 32;
inline constexpr std::size_t kMaxIdBytes = 255;
inline constexpr std::size_t kMaxFields = 1024;  // keeps an entry under tlog-tiles' 64 KiB

using Salt = std::array<std::uint8_t, kSaltSize>;

// A field as the record holds it: name, canonical value bytes, and its salt. Salts are
// as secret as the values: they live in the vault, encrypted.
struct FieldOpening {
  std::string name;
  std::string value;
  Salt salt{};
};

Salt NewSalt();
Hash FieldCommitment(const FieldOpening& field);

struct RecordLeaf {
  std::string record_id;
  std::string record_type;
  std::uint64_t version = 1;
  Hash previous_leaf{};           // zero for version 1
  std::vector<Hash> commitments;  // sorted, distinct

  static Result<RecordLeaf> Build(std::string record_id, std::string record_type,
                                  std::uint64_t version, const Hash& previous_leaf,
                                  std::span<const FieldOpening> fields);
  static Result<RecordLeaf> Parse(Bytes entry);
  std::vector<std::uint8_t> Encode() const;
  Hash LeafHash() const { return HashLeaf(Encode()); }
};

// What a bundle carries for one record: the leaf (all commitments) plus the openings of
// the fields that may be published. Nothing else about hidden fields is included.
struct RedactedRecord {
  RecordLeaf leaf;
  std::vector<FieldOpening> revealed;
};

RedactedRecord Redact(const RecordLeaf& leaf, std::span<const FieldOpening> fields,
                      std::span<const std::string> publishable_names);

// Checks every revealed field against the leaf's commitments and returns the leaf hash
// to check against an inclusion proof. The error names the record and the field.
Result<Hash> VerifyRedactedRecord(const RedactedRecord& record);

}  // namespace izde::ledger
