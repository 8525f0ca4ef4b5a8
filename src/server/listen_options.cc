#include "server/listen_options.h"

#include <arpa/inet.h>

#include <charconv>

namespace izde::server {

Status ParseListenAddress(std::string_view text, ListenOptions* options) {
  std::string_view host, port;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
      return Status::InvalidInput("--listen '" + std::string(text) + "': expected [ADDRESS]:PORT");
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos || text.find(':') != colon)
      return Status::InvalidInput("--listen '" + std::string(text) + "': expected ADDRESS:PORT");
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  int p = -1;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
  if (host.empty() || ec != std::errc() || end != port.data() + port.size() || p < 0 || p > 65535)
    return Status::InvalidInput("--listen '" + std::string(text) +
                                "': the port must be a number from 0 to 65535");
  options->host = std::string(host);
  options->port = p;
  return Status::Ok();
}

bool IsLoopback(std::string_view host) {
  if (host == "localhost") return true;
  std::string h(host);
  in_addr v4{};
  if (inet_pton(AF_INET, h.c_str(), &v4) == 1)
    return (ntohl(v4.s_addr) >> 24) == 127;  // 127.0.0.0/8
  in6_addr v6{};
  if (inet_pton(AF_INET6, h.c_str(), &v6) == 1) return IN6_IS_ADDR_LOOPBACK(&v6);
  return false;
}

Status CheckListenOptions(const ListenOptions& o) {
  if (o.tls_cert.empty() != o.tls_key.empty())
    return Status::InvalidInput("--tls-cert and --tls-key go together");
  if (!IsLoopback(o.host) && !o.tls() && !o.insecure_i_know)
    return Status::InvalidInput(
        "refusing to serve on " + o.host +
        " without TLS: names and testimonies would cross the network in clear. Give "
        "--tls-cert and --tls-key, or --insecure-i-know behind a TLS proxy on this machine");
  return Status::Ok();
}

}  // namespace izde::server
