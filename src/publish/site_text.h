// The site's words in the five interface languages: its own catalogs (i18n/<code>.json,
// keys "pub_*") and, for record vocabulary (event kinds, genders, relations, field
// names), the web application's catalogs. Also the static files the site ships.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace izde::publish {

// "i18n/en.json", "static/search.js", ...: compiled into the binary (embed_assets.cmake).
std::optional<std::string_view> Asset(std::string_view name);

// A string in language `lang`; English when the language lacks it, the key when no
// catalog has it (so a gap shows).
std::string Text(std::string_view lang, const std::string& key);

}  // namespace izde::publish
