// The public bundle (docs/formats/bundle.md): what `izde publish-bundle` writes and
// `izde verify BUNDLE` checks with nothing but the bundle and the log's public key. It
// carries, per published record version, a tlog-proof (whose entry holds every field's
// commitment) and the openings of the consented fields only; per evidence file, a
// tlog-proof of its hash; and the checkpoint all proofs are against.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "ledger/checkpoint.h"
#include "ledger/record_leaf.h"

namespace izde::ledger {

inline constexpr std::string_view kBundleFormat = "izde-bundle/v1";
inline constexpr std::size_t kMaxBundleBytes = std::size_t{1} << 30;

struct BundleRecord {
  std::string id, type;
  std::uint64_t version = 0;
  std::string proof;  // C2SP tlog-proof text
  std::vector<FieldOpening> revealed;
};

struct BundleEvidence {
  std::string id;
  std::string proof;
};

struct Bundle {
  std::string log_key;     // the log's verifier key, for convenience: pin it with --key
  std::string checkpoint;  // signed note every proof is against
  std::vector<std::string> cosigner_keys;
  std::vector<BundleRecord> records;
  std::vector<BundleEvidence> evidence;

  std::string Format() const;
  static Result<Bundle> Parse(std::string_view json);
};

struct BundleCheck {
  VerifiedCheckpoint checkpoint;
  std::size_t records = 0, evidence = 0, revealed_fields = 0;
};

// Checks the checkpoint under `policy`, every proof against it, and every revealed field
// against its record's commitments. The error names the record, field, proof or signature.
Result<BundleCheck> VerifyBundle(const Bundle& bundle, const CheckpointPolicy& policy);

}  // namespace izde::ledger
