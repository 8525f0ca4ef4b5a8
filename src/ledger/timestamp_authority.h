// The network side of RFC 3161: asks a timestamp authority for a token over HTTP or
// HTTPS (RFC 3161 §3.4: POST of a DER TimeStampReq as application/timestamp-query; the
// answer is application/timestamp-reply). The token is verified against the authority's
// certificates before it is returned, so nothing unverified is ever stored.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace izde::ledger {

struct TimestampAuthority {
  std::string url;           // http://host[:port]/path or https://...
  std::string trusted_pem;   // the authority's certificate chain (PEM)
  int timeout_seconds = 10;  // connection and read timeout
};

// Checks that `url` is an http(s) URL with a host.
Status CheckTimestampUrl(std::string_view url);

// A verified DER TimeStampToken over SHA-256(message).
Result<std::vector<std::uint8_t>> RequestTimestamp(const TimestampAuthority& tsa,
                                                   std::string_view message);

}  // namespace izde::ledger
