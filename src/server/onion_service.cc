#include "server/onion_service.h"

namespace izde::server {

Result<std::string> TorrcLines(const ListenOptions& listen, const std::string& onion_dir) {
  if (!IsLoopback(listen.host))
    return Status::InvalidInput(
        "behind an onion service izde must listen on loopback only "
        "(e.g. --listen 127.0.0.1:8080), not on " +
        listen.host + ", or it is reachable outside Tor too");
  if (listen.port <= 0 || listen.port > 65535)
    return Status::InvalidInput(
        "give the fixed port izde listens on (--listen 127.0.0.1:PORT); "
        "tor needs to know it");
  if (onion_dir.empty() || onion_dir[0] != '/' ||
      onion_dir.find_first_of(" \t\n\r\"") != std::string::npos)
    return Status::InvalidInput(
        "the onion service directory must be an absolute path without "
        "spaces or quotes, e.g. " +
        std::string(kDefaultOnionDir));
  if (listen.tls())
    return Status::InvalidInput(
        "behind Tor, run izde without --tls-cert: the onion service "
        "already encrypts end to end, and tor forwards plain HTTP");
  std::string host =
      listen.host.find(':') != std::string::npos ? "[" + listen.host + "]" : listen.host;
  std::string dir = onion_dir.back() == '/' ? onion_dir : onion_dir + "/";
  return "# izde onion service: add to /etc/tor/torrc, then: systemctl reload tor\n"
         "# The onion address appears in " +
         dir +
         "hostname; its keys in the same directory\n"
         "# are the service's identity: back them up, off this machine.\n"
         "HiddenServiceDir " +
         dir +
         "\n"
         "HiddenServicePort 80 " +
         host + ":" + std::to_string(listen.port) + "\n";
}

}  // namespace izde::server
