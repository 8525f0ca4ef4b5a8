// Normalisation of a person's name as typed, pasted or OCR'd: the one form every other
// step of names/ works on. See docs/names.md for what is removed and why.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace izde::names {

// Longest name accepted, in code points. Longer input is almost always a whole
// paragraph pasted into a name field, and comparing it would only waste time.
inline constexpr int kMaxNameCodePoints = 512;

// Returns the name in NFC, case-folded, with zero-width characters, bidi controls,
// tatweel, emoji and punctuation removed, name-part separators (space, '·', '・', '-',
// ',', '/') turned into single spaces, and no leading or trailing space.
// Fails on invalid UTF-8, on over-long input, and when no letter is left.
Result<std::string> Normalize(std::string_view name);

// Splits a normalised name at spaces.
std::vector<std::string> Tokens(std::string_view normalized);

}  // namespace izde::names
