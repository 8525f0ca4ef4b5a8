// Standard base64 (RFC 4648 §4, with padding), as used by signed notes, checkpoints
// and tlog-proof. Decoding is strict: no whitespace, correct padding, and unused bits of
// the last character must be zero, so every byte string has exactly one encoding and a
// flipped character can never decode to the same bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace izde::ledger {

std::string Base64Encode(std::span<const std::uint8_t> data);
std::optional<std::vector<std::uint8_t>> Base64Decode(std::string_view text);

}  // namespace izde::ledger
