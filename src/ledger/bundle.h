// The public bundle (docs/formats/bundle.md): what `izde publish-bundle` writes and
// `izde verify BUNDLE` checks with nothing but the bundle and the log's public key. It
// carries, per published record version, a tlog-proof (whose entry holds every field's
// commitment) and the openings of the consented fields only; per evidence file, a
// tlog-proof of its hash; and the checkpoint all proofs are against, once (v2).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "ledger/checkpoint.h"
#include "ledger/record_leaf.h"
#include "ledger/timestamp.h"

namespace izde::ledger {

// Written: v2, whose proofs share the bundle's checkpoint. Read: v2, and v1 (every proof
// carrying its own copy of the checkpoint, which must be the bundle's).
inline constexpr std::string_view kBundleFormat = "izde-bundle/v2";
inline constexpr std::string_view kBundleFormatV1 = "izde-bundle/v1";
inline constexpr std::size_t kMaxBundleBytes = std::size_t{1} << 30;

struct BundleRecord {
  std::string id, type;
  std::uint64_t version = 0;
  // The C2SP tlog-proof text without its checkpoint (RecordProof::FormatBody): the
  // bundle's `checkpoint` completes it. Parsing a v1 bundle strips the copy each carried.
  std::string proof;
  std::vector<FieldOpening> revealed;
};

struct BundleEvidence {
  std::string id;
  std::string proof;  // as BundleRecord::proof
  // Optional, both checked against the evidence leaf when present: the file's SHA-256
  // (lowercase hex) and size, and whether the file itself travels with the bundle, as
  // BUNDLE.files/<sha256 hex>.
  std::string sha256;
  std::optional<std::uint64_t> size;
  bool file = false;
};

struct Bundle {
  std::string log_key;     // the log's verifier key, for convenience: pin it with --key
  std::string checkpoint;  // signed note every proof is against
  std::vector<std::string> cosigner_keys;
  std::vector<BundleRecord> records;
  std::vector<BundleEvidence> evidence;
  // RFC 3161 token (DER) over the checkpoint's body; empty when not timestamped.
  std::vector<std::uint8_t> timestamp;

  std::string Format() const;  // always izde-bundle/v2
  static Result<Bundle> Parse(std::string_view json);
  // A proof of this bundle as a standalone tlog-proof file (`izde log prove` format).
  std::string FullProof(const std::string& proof) const { return proof + "\n" + checkpoint; }
};

// What a verifier brings besides the log's key and its cosigners.
struct BundleOptions {
  // PEM certificates of the timestamp authorities the verifier trusts. Empty: a token is
  // checked against the self-signed roots it carries itself (then it is not pinned).
  std::string tsa_pem;
  bool require_timestamp = false;
  // Where the evidence files are (BUNDLE.files); empty: files are not looked at.
  std::filesystem::path files_dir;
};

struct BundleCheck {
  VerifiedCheckpoint checkpoint;
  std::size_t records = 0, evidence = 0, revealed_fields = 0, files = 0;
  std::optional<VerifiedTimestamp> timestamp;
  bool timestamp_pinned = false;
};

// Checks the checkpoint under `policy` (and that the bundle names the same log key),
// every proof against it, every revealed field against its record's commitments, the
// evidence hashes and files, and the timestamp. The error names the record, field,
// proof, file or signature.
Result<BundleCheck> VerifyBundle(const Bundle& bundle, const CheckpointPolicy& policy,
                                 const BundleOptions& options = {});

}  // namespace izde::ledger
