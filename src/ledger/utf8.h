// The text checks signed notes need: valid UTF-8 (no overlong forms, no surrogates) and
// the Unicode space characters that may not appear in key names.
#pragma once

#include <cstdint>
#include <string_view>

namespace izde::ledger {

bool IsValidUtf8(std::string_view s);
// True if s has an ASCII control character or any Unicode White_Space code point.
// Assumes s is valid UTF-8.
bool ContainsSpaceOrControl(std::string_view s);

}  // namespace izde::ledger
