// Times the vault records (unix seconds) as people read them on pages and in files.
#pragma once

#include <cstdint>
#include <string>

namespace izde::dates {

// "2026-11-26 14:05": the minute, in UTC.
std::string UtcMinute(int64_t unix_seconds);

}  // namespace izde::dates
