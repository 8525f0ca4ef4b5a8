// The interface languages and their string catalogs (i18n/<code>.json, one
// flat object of key -> text per language, compiled in). English is the
// reference: every catalog must have exactly its keys (catalog_test.cc).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace izde::server {

struct Language {
  std::string_view code;      // "ug"
  std::string_view own_name;  // "ئۇيغۇرچە"
  bool rtl = false;
};

const std::vector<Language>& Languages();
bool IsLanguage(std::string_view code);
bool IsRightToLeft(std::string_view code);

// The catalog of `code` (English for an unknown code).
const nlohmann::json& Catalog(std::string_view code);
// One string; the key itself when missing, so a gap shows rather than hides.
std::string Translate(std::string_view code, const std::string& key);

// The language for a request: an explicit choice (?lang= or the cookie), else
// the best match in Accept-Language, else English.
std::string PickLanguage(std::string_view chosen, std::string_view accept_language);

}  // namespace izde::server
