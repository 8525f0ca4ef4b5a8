// RFC 3161 trusted timestamps of checkpoints (docs/formats/ledger.md §5).
//
// The message imprint is SHA-256 of the checkpoint body (the signed note's text: origin,
// size, root, extension lines), so a token stays valid when cosignatures are added to
// the note later. A token is the DER TimeStampToken (a CMS SignedData) that the
// authority returned; it is verified against the authority's certificate chain given by
// the verifier (PEM), never against certificates the token or a bundle merely carries.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "ledger/sha256.h"

namespace izde::ledger {

inline constexpr std::size_t kMaxTimestampTokenBytes = 64 * 1024;

// A DER TimeStampReq for SHA-256(message) with a fresh 64-bit nonce, asking the
// authority to include its certificate.
struct TimestampRequest {
  std::vector<std::uint8_t> der;
  Hash imprint{};
  std::vector<std::uint8_t> nonce;  // big-endian bytes of the INTEGER
};
Result<TimestampRequest> MakeTimestampRequest(std::string_view message);

// What a verified token says.
struct VerifiedTimestamp {
  std::int64_t time = 0;  // genTime, seconds since 1970 (UTC)
  std::string time_text;  // genTime as ISO 8601, e.g. 2026-11-26T07:40:00Z
  std::string serial;     // hex
  std::string authority;  // subject of the signing certificate
};

// Takes a DER TimeStampResp: the status must be granted, the token must answer
// `request` (imprint and nonce) and verify against `trusted_pem`. Returns the token DER.
Result<std::vector<std::uint8_t>> AcceptTimestampResponse(std::span<const std::uint8_t> response,
                                                          const TimestampRequest& request,
                                                          std::string_view trusted_pem);

// Verifies a DER token over `message`: SHA-256 imprint, the signature, and the signing
// certificate's chain (with the time-stamping extended key usage) up to one of the
// certificates in `trusted_pem`.
Result<VerifiedTimestamp> VerifyTimestampToken(std::span<const std::uint8_t> token,
                                               std::string_view message,
                                               std::string_view trusted_pem);

// The self-signed certificates a token carries, as PEM: what a verifier who brought no
// authority certificate can check the token against. That shows the token is intact,
// not who issued it.
Result<std::string> CarriedRootsPem(std::span<const std::uint8_t> token);

}  // namespace izde::ledger
