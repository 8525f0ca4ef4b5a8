// Output escaping for every value a page shows. Besides the five HTML
// metacharacters, the Unicode bidirectional controls (U+202A..U+202E,
// U+2066..U+2069) are made visible as "[U+202E]": a name carrying a
// right-to-left override could otherwise reorder the text around it
// ("Trojan Source" style) and make a record read differently from what it is.
// Pages additionally wrap every value in <bdi>, so a right-to-left name in a
// left-to-right page (and the reverse) stays isolated.
#pragma once

#include <string>
#include <string_view>

namespace izde::server {

std::string EscapeHtml(std::string_view text);

// For a URL query component: percent-encodes everything but unreserved chars.
std::string EscapeUrlComponent(std::string_view text);

}  // namespace izde::server
