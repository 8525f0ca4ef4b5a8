// How a record looks to a person at a terminal, and as JSON.
#pragma once

#include <string>
#include <vector>

#include "vault/sealed_document.h"

namespace izde::cli {

// The document plus id, type, version, author and time. The evidence key is
// left out: it is only for the vault itself.
nlohmann::json VersionToJson(const vault::OpenedVersion& v);
std::string VersionToText(const vault::OpenedVersion& v);
// One line per version with what changed since the one before.
std::string HistoryToText(const std::vector<vault::OpenedVersion>& versions);
std::string FormatTime(int64_t unix_seconds);

}  // namespace izde::cli
