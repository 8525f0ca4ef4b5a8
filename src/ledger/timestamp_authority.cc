#include "ledger/timestamp_authority.h"

#include <httplib.h>

#include "ledger/timestamp.h"

namespace izde::ledger {
namespace {

struct SplitUrl {
  std::string origin;  // scheme://host[:port]
  std::string path;
};

Result<SplitUrl> Split(std::string_view url) {
  std::size_t after = 0;
  if (url.starts_with("http://"))
    after = 7;
  else if (url.starts_with("https://"))
    after = 8;
  else
    return Status::InvalidInput("the timestamp authority's URL '" + std::string(url) +
                                "' does not start with http:// or https://");
  const std::size_t slash = url.find('/', after);
  SplitUrl out{std::string(url.substr(0, slash)),
               slash == std::string_view::npos ? "/" : std::string(url.substr(slash))};
  if (out.origin.size() == after)
    return Status::InvalidInput("the timestamp authority's URL '" + std::string(url) +
                                "' has no host");
  for (char c : url)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
      return Status::InvalidInput(
          "the timestamp authority's URL contains a space or control "
          "character");
  return out;
}

}  // namespace

Status CheckTimestampUrl(std::string_view url) { return Split(url).status(); }

Result<std::vector<std::uint8_t>> RequestTimestamp(const TimestampAuthority& tsa,
                                                   std::string_view message) {
  IZDE_ASSIGN_OR_RETURN(SplitUrl url, Split(tsa.url));
  IZDE_ASSIGN_OR_RETURN(TimestampRequest request, MakeTimestampRequest(message));
  httplib::Client client(url.origin);
  client.set_connection_timeout(tsa.timeout_seconds, 0);
  client.set_read_timeout(tsa.timeout_seconds, 0);
  client.set_write_timeout(tsa.timeout_seconds, 0);
  const std::string body(request.der.begin(), request.der.end());
  auto res = client.Post(url.path, body, "application/timestamp-query");
  if (!res)
    return Status::Io("the timestamp authority " + tsa.url +
                      " did not answer: " + httplib::to_string(res.error()));
  if (res->status != 200)
    return Status::Io("the timestamp authority " + tsa.url + " answered HTTP " +
                      std::to_string(res->status));
  if (res->body.size() > 2 * kMaxTimestampTokenBytes)
    return Status::Corrupt("the timestamp authority's answer is larger than 128 KiB");
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(res->body.data());
  auto token =
      AcceptTimestampResponse(std::span(bytes, res->body.size()), request, tsa.trusted_pem);
  if (!token.ok()) return token.status().Within("timestamp authority " + tsa.url);
  return token;
}

}  // namespace izde::ledger
