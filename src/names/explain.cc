#include "names/explain.h"

#include <algorithm>

#include "names/name_key.h"
#include "names/name_parts.h"
#include "names/search_keys.h"

namespace izde::names {

Result<NameExplanation> Explain(std::string_view name) {
  IZDE_ASSIGN_OR_RETURN(KeyedName keyed, MakeKeyedName(name));
  NameExplanation e;
  e.input = std::string(name);
  e.normalized = keyed.normalized;
  for (size_t i = 0; i < keyed.tokens.size(); ++i) {
    const TokenKey& t = keyed.tokens[i];
    const std::string script(ScriptName(t.script));
    if (std::find(e.scripts.begin(), e.scripts.end(), script) == e.scripts.end()) {
      e.scripts.push_back(script);
    }
    if (!e.latin.empty()) e.latin += ' ';
    e.latin += t.latin;
    e.tokens.push_back({t.text, script, t.latin, t.reading, t.key, t.stem, t.alt_stem,
                        std::string(RoleName(keyed.roles[i]))});
  }
  if (keyed.tokens.size() == 1 && keyed.tokens[0].script == Script::kHan) {
    const std::string& han = keyed.tokens[0].text;
    if (size_t family = ChineseFamilyNameLength(han); family > 0) {
      e.chinese_family = han.substr(0, family);
      e.chinese_given = han.substr(family);
    }
  }
  e.search_keys = SearchKeys(name);
  return e;
}

nlohmann::json ToJson(const NameExplanation& e) {
  nlohmann::json tokens = nlohmann::json::array();
  for (const TokenExplanation& t : e.tokens) {
    tokens.push_back({{"text", t.text},
                      {"script", t.script},
                      {"latin", t.latin},
                      {"reading", t.reading},
                      {"key", t.key},
                      {"stem", t.stem},
                      {"alt_stem", t.alt_stem},
                      {"role", t.role}});
  }
  nlohmann::json out = {{"input", e.input},     {"normalized", e.normalized},
                        {"scripts", e.scripts}, {"latin", e.latin},
                        {"tokens", tokens},     {"search_keys", e.search_keys}};
  if (!e.chinese_family.empty()) {
    out["chinese_family"] = e.chinese_family;
    out["chinese_given"] = e.chinese_given;
  }
  return out;
}

std::string ToText(const NameExplanation& e) {
  auto join = [](const std::vector<std::string>& items) {
    std::string s;
    for (const std::string& item : items) s += (s.empty() ? "" : ", ") + item;
    return s;
  };
  std::string out = "normalised:  " + e.normalized + "\n" + "scripts:     " + join(e.scripts) +
                    "\n" + "latin:       " + e.latin + "\n";
  if (!e.chinese_family.empty()) {
    out += "chinese:     family " + e.chinese_family + ", given " + e.chinese_given + "\n";
  }
  out += "parts:\n";
  for (const TokenExplanation& t : e.tokens) {
    out += "  " + t.text + "  (" + t.script + ", " + t.role + ")  latin " + t.latin;
    if (!t.reading.empty()) out += ", reading " + t.reading;
    out += ", key " + t.key;
    if (t.stem != t.key) out += ", stem " + t.stem;
    if (!t.alt_stem.empty()) out += ", also " + t.alt_stem;
    out += "\n";
  }
  out += "search keys: " + join(e.search_keys) + "\n";
  return out;
}

}  // namespace izde::names
