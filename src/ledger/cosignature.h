// C2SP tlog-cosignature v1.0.1, Ed25519 type (0x04). A partner abroad cosigns a
// checkpoint only after checking that it extends the last checkpoint they cosigned for
// the same log, so a log that shows different histories to different people (or rolls
// back) cannot collect their signature. The signature covers
//   "cosignature/v1\ntime <unix seconds>\n" || checkpoint body
// and is stored as key id (4) || timestamp (8, big-endian) || Ed25519 signature (64).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "base/status.h"
#include "ledger/checkpoint.h"

namespace izde::ledger {

struct CosignRequest {
  std::string_view signed_checkpoint;       // as the log published it
  NoteVerifier log_key;                     // the log's key, known to the partner
  std::optional<Checkpoint> last_cosigned;  // nullopt on the partner's first cosignature
  std::span<const Hash> consistency_proof;  // from last_cosigned to the new checkpoint
  std::uint64_t timestamp = 0;              // seconds since the Unix epoch
};

// Verifies the log's signature and consistency with the last cosigned checkpoint, then
// returns the cosignature line to append (see AddSignatures).
Result<NoteSignature> Cosign(const CosignRequest& request, const NoteSigner& cosigner_key);

}  // namespace izde::ledger
