#include "report/report_language.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "report/report_catalogs.h"

namespace izde::report {
namespace {

struct Catalogs {
  std::map<std::string, nlohmann::json> report, interface;
};

const Catalogs& All() {
  static const Catalogs kAll = [] {
    Catalogs c;
    for (const EmbeddedCatalog& e : kEmbeddedCatalogs) {
      auto j = nlohmann::json::parse(e.json, nullptr, /*allow_exceptions=*/false);
      if (!j.is_object()) j = nlohmann::json::object();  // catalog_test proves they parse
      (e.interface ? c.interface : c.report)[std::string(e.lang)] = std::move(j);
    }
    return c;
  }();
  return kAll;
}

const nlohmann::json* Lookup(const std::string& lang, const std::string& key) {
  for (const auto* m : {&All().report, &All().interface}) {
    auto it = m->find(lang);
    if (it == m->end()) continue;
    auto v = it->second.find(key);
    if (v != it->second.end() && v->is_string()) return &*v;
  }
  return nullptr;
}

}  // namespace

const std::vector<std::string>& ReportLanguages() {
  static const std::vector<std::string> kLanguages = {"en", "ru", "kk", "ug", "zh"};
  return kLanguages;
}

bool IsReportLanguage(std::string_view code) {
  const auto& l = ReportLanguages();
  return std::find(l.begin(), l.end(), code) != l.end();
}

bool IsRightToLeft(std::string_view code) { return code == "ug"; }

std::string ShapingLanguage(std::string_view code) {
  if (code == "zh") return "zh-Hans";
  if (code == "ug") return "ug-Arab";
  return std::string(code);
}

std::string Isolate(std::string_view lang, const std::string& text) {
  return IsRightToLeft(lang) ? "\u2068" + text + "\u2069" : text;
}

Words::Words(std::string lang) : lang_(IsReportLanguage(lang) ? std::move(lang) : "en") {}

bool Words::Has(const std::string& key) const { return Lookup(lang_, key) != nullptr; }

std::string Words::operator()(const std::string& key,
                              const std::map<std::string, std::string>& values) const {
  const nlohmann::json* found = Lookup(lang_, key);
  if (!found) found = Lookup("en", key);
  std::string text = found ? found->get<std::string>() : key;
  for (const auto& [name, given] : values) {
    // In right-to-left text an inserted date or id is isolated (U+2068 FIRST STRONG
    // ISOLATE .. U+2069), so that "2026-11-26" is not reordered by its neighbours.
    const std::string value = Isolate(lang_, given);
    const std::string slot = "{" + name + "}";
    for (size_t at = text.find(slot); at != std::string::npos;
         at = text.find(slot, at + value.size())) {
      text.replace(at, slot.size(), value);
    }
  }
  return text;
}

}  // namespace izde::report
