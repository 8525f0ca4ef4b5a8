// Small helpers shared by the SVG charts of this module.
#pragma once

#include <string>
#include <string_view>

namespace izde::report {

// Fonts for chart text: Noto covers Latin, Cyrillic, Arabic script and CJK; the generic
// family is the last resort on machines without Noto.
inline constexpr const char* kChartFonts =
    "Noto Sans, Noto Naskh Arabic, Noto Sans CJK SC, sans-serif";

std::string XmlEscape(std::string_view s);
// One decimal place, no locale: SVG coordinates.
std::string Coord(double x);
// Characters (code points) in a UTF-8 string, for rough text widths.
size_t CodePoints(std::string_view s);

}  // namespace izde::report
