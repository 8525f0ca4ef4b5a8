// UTF-8 validation for imported text. Every field that reaches the vault must be valid
// UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF. Files saved
// in Windows-1251 or GB 18030 fail here rather than becoming mojibake in a record.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace izde::csv {

// Returns the byte offset of the first byte that does not start a valid UTF-8 sequence,
// or std::nullopt when the whole text is valid.
std::optional<size_t> FirstInvalidUtf8Byte(std::string_view text);

}  // namespace izde::csv
