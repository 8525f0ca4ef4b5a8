#include "ledger/cosignature.h"

#include "ledger/merkle_proof.h"

namespace izde::ledger {

Result<NoteSignature> Cosign(const CosignRequest& request, const NoteSigner& cosigner_key) {
  if (cosigner_key.type() != KeyType::kCosignatureV1) {
    return Status::InvalidInput("key '" + cosigner_key.name() +
                                "' is not a cosigner key (type 4); make one with the "
                                "cosignature key type");
  }
  if (request.timestamp >> 63) return Status::InvalidInput("cosignature time is out of range");
  CheckpointPolicy policy{request.log_key, "", {}, 0};
  IZDE_ASSIGN_OR_RETURN(VerifiedCheckpoint v, VerifyCheckpoint(request.signed_checkpoint, policy));
  const Checkpoint& now = v.checkpoint;
  if (request.last_cosigned) {
    const Checkpoint& before = *request.last_cosigned;
    if (before.origin != now.origin) {
      return Status::InvalidInput("the last cosigned checkpoint is for log '" + before.origin +
                                  "', this one for '" + now.origin + "'");
    }
    if (before.size > 0) {
      IZDE_RETURN_IF_ERROR(
          VerifyConsistency(before.size, now.size, before.root, now.root, request.consistency_proof)
              .Within("refusing to cosign"));
    }
  }
  const std::string message = CosignedMessage(now.Body(), request.timestamp);
  auto sig = cosigner_key.Sign(AsBytes(message));
  NoteSignature out{cosigner_key.name(), cosigner_key.key_id(), {}};
  for (int i = 7; i >= 0; --i) {
    out.signature.push_back(static_cast<std::uint8_t>(request.timestamp >> (8 * i)));
  }
  out.signature.insert(out.signature.end(), sig.begin(), sig.end());
  return out;
}

}  // namespace izde::ledger
