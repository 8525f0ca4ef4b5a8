// The torrc lines that put `izde serve` behind a Tor onion service (docs/deploy.md, "Tor
// / TLS deployment"). Tor forwards the onion's port 80 to the address izde listens on,
// which must be loopback: the server is then reachable only through Tor (or from the
// machine itself), and Tor's end-to-end encryption stands in for TLS.
#pragma once

#include <string>

#include "base/status.h"
#include "server/listen_options.h"

namespace izde::server {

inline constexpr const char* kDefaultOnionDir = "/var/lib/tor/izde/";

// HiddenServiceDir / HiddenServicePort lines for `listen`. Refuses a non-loopback listen
// address (it would expose the server beside the onion) and a relative or unsafe
// directory (tor needs an absolute path it owns).
Result<std::string> TorrcLines(const ListenOptions& listen, const std::string& onion_dir);

}  // namespace izde::server
