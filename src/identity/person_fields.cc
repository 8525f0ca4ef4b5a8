#include "identity/person_fields.h"

#include "link/person_records.h"

namespace izde::identity {
namespace {

std::string Gender(const std::string& g) {
  if (g == "female") return "f";
  if (g == "male") return "m";
  return "";
}

bool ContainsWord(const std::string& text, const std::string& word) {
  for (size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
    const size_t end = at + word.size();
    if ((at == 0 || text[at - 1] == ' ') && (end == text.size() || text[end] == ' ')) return true;
  }
  return false;
}

}  // namespace

link::Schema PersonLinkSchema() { return link::PersonSchema(); }

std::vector<std::string> PersonLinkValues(const nlohmann::json& person) {
  std::string full, given, family, father;
  if (auto it = person.find("names"); it != person.end() && it->is_array()) {
    for (const auto& n : *it) {
      if (!n.is_object()) continue;
      const std::string text = n.value("text", ""), part = n.value("part", "full");
      std::string* slot = part == "full"         ? &full
                          : part == "given"      ? &given
                          : part == "family"     ? &family
                          : part == "father"     ? &father
                          : part == "patronymic" ? &father
                                                 : nullptr;
      if (slot && slot->empty()) *slot = text;
    }
  }
  std::string name = full;
  if (name.empty())
    for (const std::string* p : {&given, &family, &father})
      if (!p->empty()) name += (name.empty() ? "" : " ") + *p;
  if (!full.empty() && !father.empty() && !ContainsWord(full, father)) name += " " + father;
  std::string id_number;
  if (auto it = person.find("identifiers"); it != person.end() && it->is_array())
    for (const auto& i : *it) {
      const std::string kind = i.value("kind", "");
      if ((kind == "prc_id" || kind == "kz_iin") && id_number.empty())
        id_number = i.value("value", "");
    }
  return {name, Gender(person.value("gender", "")), person.value("birth_date", ""),
          person.value("hometown", ""), id_number};
}

std::string DisplayName(const nlohmann::json& person) {
  if (auto it = person.find("names"); it != person.end() && it->is_array() && !it->empty())
    return (*it)[0].value("text", "");
  return "";
}

std::string AllNames(const nlohmann::json& person) {
  std::string out;
  if (auto it = person.find("names"); it != person.end() && it->is_array())
    for (const auto& n : *it) {
      if (n.value("part", "full") == "father") continue;
      out += (out.empty() ? "" : " / ") + n.value("text", "");
    }
  return out;
}

}  // namespace izde::identity
