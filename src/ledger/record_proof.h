// A C2SP tlog-proof v1 for one log entry (docs/formats/bundle.md):
//
//   c2sp.org/tlog-proof@v1
//   extra <base64(leaf entry bytes)>
//   index <leaf index>
//   <base64 inclusion proof hash>   (zero or more lines, leaf's sibling first)
//   <blank line>
//   <signed checkpoint note, verbatim>
//
// The extra data is the entry itself (a record-version or evidence leaf), so the proof
// alone shows what was logged; it becomes trustworthy only through the inclusion proof
// against a checkpoint signed by the log (and cosigned as the verifier's policy demands).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "ledger/checkpoint.h"
#include "ledger/log.h"

namespace izde::ledger {

inline constexpr std::size_t kMaxProofHashes = 64;

struct RecordProof {
  std::vector<std::uint8_t> entry;
  std::uint64_t index = 0;
  std::vector<Hash> inclusion;
  std::string checkpoint;  // signed note

  std::string Format() const;
  static Result<RecordProof> Parse(std::string_view text);
};

// Builds the proof of entry `index` against a signed checkpoint of this log.
Result<RecordProof> ProveEntry(const Log& log, std::uint64_t index,
                               std::string_view signed_checkpoint);

// Verifies the checkpoint under `policy` and the entry's inclusion in it. Returns the
// verified checkpoint; the caller then checks the entry's content (VerifyRedactedRecord,
// EvidenceLeaf::Matches).
Result<VerifiedCheckpoint> VerifyRecordProof(const RecordProof& proof,
                                             const CheckpointPolicy& policy);

}  // namespace izde::ledger
