#include "server/catalog.h"

#include <algorithm>
#include <map>

#include "server/embedded_files.h"

namespace izde::server {

const std::vector<Language>& Languages() {
  static const std::vector<Language> kLanguages = {
      {"kk", "Қазақша", false}, {"ug", "ئۇيغۇرچە", true}, {"ru", "Русский", false},
      {"en", "English", false}, {"zh", "中文", false},
  };
  return kLanguages;
}

bool IsLanguage(std::string_view code) {
  for (const auto& l : Languages())
    if (l.code == code) return true;
  return false;
}

bool IsRightToLeft(std::string_view code) {
  for (const auto& l : Languages())
    if (l.code == code) return l.rtl;
  return false;
}

const nlohmann::json& Catalog(std::string_view code) {
  static const std::map<std::string, nlohmann::json, std::less<>> kCatalogs = [] {
    std::map<std::string, nlohmann::json, std::less<>> m;
    for (const auto& l : Languages()) {
      auto text = EmbeddedFile(std::string(l.code) + ".json");
      // Catalogs are compiled in and checked by the tests; a broken one is an empty object.
      nlohmann::json j = text ? nlohmann::json::parse(*text, nullptr, false) : nlohmann::json();
      m[std::string(l.code)] = j.is_object() ? j : nlohmann::json::object();
    }
    return m;
  }();
  auto it = kCatalogs.find(code);
  if (it == kCatalogs.end()) it = kCatalogs.find("en");
  return it->second;
}

std::string Translate(std::string_view code, const std::string& key) {
  const auto& c = Catalog(code);
  auto it = c.find(key);
  if (it == c.end() || !it->is_string()) return key;
  return it->get<std::string>();
}

std::string PickLanguage(std::string_view chosen, std::string_view accept) {
  if (IsLanguage(chosen)) return std::string(chosen);
  // "ug-CN,ug;q=0.9,zh;q=0.8": the supported primary tag with the highest q.
  std::string best = "en";
  double best_q = -1;
  size_t pos = 0;
  while (pos < accept.size()) {
    size_t end = accept.find(',', pos);
    if (end == std::string_view::npos) end = accept.size();
    std::string_view item = accept.substr(pos, end - pos);
    pos = end + 1;
    double q = 1;
    if (auto semi = item.find(';'); semi != std::string_view::npos) {
      auto params = item.substr(semi + 1);
      item = item.substr(0, semi);
      if (auto qpos = params.find("q="); qpos != std::string_view::npos) {
        try {
          q = std::stod(std::string(params.substr(qpos + 2)));
        } catch (const std::exception&) {
          q = 0;
        }
      }
    }
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    std::string tag(item.substr(0, item.find('-')));
    std::transform(tag.begin(), tag.end(), tag.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    if (IsLanguage(tag) && q > best_q) {
      best = tag;
      best_q = q;
    }
  }
  return best;
}

}  // namespace izde::server
