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
  // The proof with its checkpoint left out, for a bundle whose proofs share one
  // (docs/formats/bundle.md): the lines before the blank line, each ending in "\n", so
  // that Format() == FormatBody() + "\n" + checkpoint. ParseBody leaves checkpoint empty.
  std::string FormatBody() const;
  static Result<RecordProof> ParseBody(std::string_view text);

 private:
  static Result<RecordProof> ParseLines(std::string_view text, bool with_checkpoint);
};

// Builds the proof of entry `index` against a signed checkpoint of this log.
Result<RecordProof> ProveEntry(const Log& log, std::uint64_t index,
                               std::string_view signed_checkpoint);

// The proofs of many entries against one signed checkpoint, reading each entry bundle
// once; in the order of `indexes`. Their `checkpoint` is left empty (the caller holds
// the one they share: FormatBody() is what a bundle carries).
Result<std::vector<RecordProof>> ProveEntries(const Log& log,
                                              const std::vector<std::uint64_t>& indexes,
                                              std::string_view signed_checkpoint);

// Verifies the checkpoint under `policy` and the entry's inclusion in it. Returns the
// verified checkpoint; the caller then checks the entry's content (VerifyRedactedRecord,
// EvidenceLeaf::Matches).
Result<VerifiedCheckpoint> VerifyRecordProof(const RecordProof& proof,
                                             const CheckpointPolicy& policy);

}  // namespace izde::ledger
