#include "publish/site_text.h"

#include <map>
#include <nlohmann/json.hpp>

#include "server/catalog.h"

namespace izde::publish {
namespace {

const nlohmann::json& OwnCatalog(std::string_view lang) {
  static const auto* kCatalogs = [] {
    auto* m = new std::map<std::string, nlohmann::json, std::less<>>();
    for (const auto& l : server::Languages()) {
      auto text = Asset("i18n/" + std::string(l.code) + ".json");
      (*m)[std::string(l.code)] =
          text ? nlohmann::json::parse(*text, nullptr, false) : nlohmann::json::object();
    }
    return m;
  }();
  auto it = kCatalogs->find(lang);
  if (it == kCatalogs->end() || !it->second.is_object()) it = kCatalogs->find("en");
  return it->second;
}

}  // namespace

std::string Text(std::string_view lang, const std::string& key) {
  for (std::string_view l : {lang, std::string_view("en")}) {
    const auto& own = OwnCatalog(l);
    if (auto it = own.find(key); it != own.end() && it->is_string()) return it->get<std::string>();
  }
  return server::Translate(lang, key);
}

}  // namespace izde::publish
