// The ledger leaf for one evidence file (video, photo, scan): it commits to the SHA-256
// of the original bytes, so a copy handed to a court can be matched to the log.
//   u8 0x02 | str16 evidence_id | u64be byte length | SHA-256(original bytes)[32]
// Full specification: docs/formats/ledger.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "ledger/merkle_hash.h"

namespace izde::ledger {

inline constexpr std::uint8_t kEvidenceLeafKind = 0x02;

struct EvidenceLeaf {
  std::string evidence_id;
  std::uint64_t length = 0;
  Hash content_hash{};

  static Result<EvidenceLeaf> ForContent(std::string evidence_id, Bytes original);
  static Result<EvidenceLeaf> Parse(Bytes entry);
  std::vector<std::uint8_t> Encode() const;
  Hash LeafHash() const { return HashLeaf(Encode()); }
  // Checks a copy of the file against this leaf, naming the evidence on failure.
  Status Matches(Bytes copy) const;
};

}  // namespace izde::ledger
