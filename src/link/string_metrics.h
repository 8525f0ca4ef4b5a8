// Plain string similarities for fields that are not names: addresses, postcodes,
// free-text places that the gazetteer does not know.
#pragma once

#include <string_view>

namespace izde::link {

// Jaro-Winkler similarity on bytes (ASCII-oriented; UTF-8 text still compares
// equal to itself and gets a meaningful but coarser score). 1 = equal, 0 = nothing shared.
double JaroWinkler(std::string_view a, std::string_view b);

// Whether `a` and `b` differ by at most one substitution, insertion, deletion or
// swap of neighbouring bytes: the typos a clerk makes copying a number.
bool WithinOneEdit(std::string_view a, std::string_view b);

}  // namespace izde::link
