// C2SP tlog-checkpoint v1.0.0: the signed note text of a log's state.
//
//   <origin>\n            unique name of the log, e.g. "izde.example/kz-office-1"
//   <tree size>\n         ASCII decimal, no leading zeros
//   <root hash>\n         base64 of the 32-byte RFC 9162 root
//   [<extension line>\n]  optional, non-empty, opaque
//
// signed by the log's Ed25519 key (note type 0x01) and optionally cosigned by partners'
// witness keys (tlog-cosignature/v1, type 0x04). Pinned to v1.0.0: later drafts move
// to ML-DSA-44.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "ledger/merkle_hash.h"
#include "ledger/note.h"

namespace izde::ledger {

struct Checkpoint {
  std::string origin;
  std::uint64_t size = 0;
  Hash root{};
  std::vector<std::string> extensions;

  // The note text (what is signed).
  std::string Body() const;
  static Result<Checkpoint> ParseBody(std::string_view text);
};

// The signed checkpoint note: body, blank line, the log's signature line.
Result<std::string> SignCheckpoint(const Checkpoint& checkpoint, const NoteSigner& log_key);

// Appends signature lines (e.g. cosignatures) to a signed note, keeping it well formed.
Result<std::string> AddSignatures(std::string_view signed_note,
                                  std::span<const NoteSignature> signatures);

// Who a verifier trusts: the log's key and origin, named partners' cosigner keys, and how
// many distinct partners must have cosigned.
struct CheckpointPolicy {
  NoteVerifier log_key;
  std::string origin;  // empty: the log key's name
  std::vector<NoteVerifier> cosigners;
  std::size_t required_cosignatures = 0;
};

struct VerifiedCheckpoint {
  Checkpoint checkpoint;
  std::string note;                             // the exact bytes verified
  std::vector<VerifiedSignature> cosignatures;  // with their times
};

Result<VerifiedCheckpoint> VerifyCheckpoint(std::string_view signed_note,
                                            const CheckpointPolicy& policy);

}  // namespace izde::ledger
