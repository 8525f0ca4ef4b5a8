// The headers every response carries: a strict Content-Security-Policy (no
// inline script or style, nothing from elsewhere, no framing), nosniff, no
// referrer to other sites (URLs carry record ids and search words; not
// "no-referrer", under which browsers send "Origin: null" on our own forms and
// the origin check could not tell them from a forgery), no caching of pages
// that show names, and HSTS on TLS.
#pragma once

#include <httplib.h>

namespace izde::server {

inline constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

void ApplySecurityHeaders(httplib::Response& res, bool tls);

}  // namespace izde::server
