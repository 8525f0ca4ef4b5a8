// Where `izde serve` listens and whether that is allowed. Loopback is the
// default; any other address carries names and testimonies over a network,
// so it needs TLS, or the explicit --insecure-i-know (for a reverse proxy or
// an onion service on the same machine).
#pragma once

#include <string>

#include "base/status.h"

namespace izde::server {

struct ListenOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (the tests)
  std::string tls_cert, tls_key;
  bool insecure_i_know = false;
  bool tls() const { return !tls_cert.empty(); }
};

// "127.0.0.1:8080", "[::1]:8080", "localhost:0".
Status ParseListenAddress(std::string_view text, ListenOptions* options);
bool IsLoopback(std::string_view host);
// Refuses a non-loopback address without TLS (unless insecure_i_know), and a
// certificate without its key or the reverse.
Status CheckListenOptions(const ListenOptions& options);

}  // namespace izde::server
