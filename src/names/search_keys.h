// Keys for the full-text index: a search for "Qalida Akytkhan" must find
// "Қалида Ақытхан", "卡丽达·阿克提汗" and "Kalida Aketihan".
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace izde::names {

// The search skeletons (phonetic_key.h) of every part of `name`, and of each part's
// alternative reading, without duplicates, in order. Index a record under all of
// them and query with all of them; then rank the hits with Compare. Returns nothing
// for a name that cannot be normalised (invalid UTF-8, no letters).
std::vector<std::string> SearchKeys(std::string_view name);

}  // namespace izde::names
