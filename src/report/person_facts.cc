#include "report/person_facts.h"

#include <algorithm>

#include "dates/civil_date.h"
#include "places/gazetteer.h"

namespace izde::report {
namespace {

// Fuzzy gazetteer matches below this are too uncertain to put a person on a map.
constexpr double kConfidentPlaceMatch = 0.95;

std::string Text(const nlohmann::json& doc, const char* field) {
  auto it = doc.find(field);
  return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<dates::PartialDate> DateOf(const nlohmann::json& doc, const char* field) {
  std::string text = Text(doc, field);
  if (text.empty()) return std::nullopt;
  auto parsed = dates::Parse(text);
  if (!parsed.ok()) return std::nullopt;
  return *parsed;
}

std::string PrefectureCode(const std::string& code) {
  if (code.size() != 6 || code.substr(0, 2) != "65" || code.substr(2, 2) == "00") return "";
  return code.substr(0, 4) + "00";
}

// Days since 0000-03-01 in the proleptic Gregorian calendar, for the middle of a date.
long DayNumber(const dates::CivilDate& d) {
  const int y = d.year - (d.month <= 2 ? 1 : 0);
  const int m = d.month <= 2 ? d.month + 9 : d.month - 3;
  return 365L * y + y / 4 - y / 100 + y / 400 + (153 * m + 2) / 5 + d.day - 1;
}

double Middle(const dates::PartialDate& d) {
  return (static_cast<double>(DayNumber(d.earliest)) + static_cast<double>(DayNumber(d.latest))) /
         2;
}

}  // namespace

std::string PrefectureOfPlace(const std::string& text) {
  if (text.empty()) return "";
  auto matches = places::Gazetteer::Xinjiang().Resolve(text);
  if (!matches.ok()) return "";
  std::string found;
  for (const places::PlaceMatch& m : *matches) {
    if (m.score < kConfidentPlaceMatch) continue;
    const std::string p = PrefectureCode(m.place->code);
    if (p.empty() || (!found.empty() && p != found)) return "";  // region-wide or ambiguous
    found = p;
  }
  return found;
}

std::string PrefectureOfPrcId(const std::string& id_number) {
  if (id_number.size() < 6) return "";
  return PrefectureCode(id_number.substr(0, 6));
}

PersonFacts FactsOf(const Holdings& h, const IdentityCluster& cluster) {
  PersonFacts f;
  f.id = cluster.id;
  std::string id_prefecture;
  for (const std::string& pid : cluster.person_ids) {
    auto it = h.people.find(pid);
    if (it == h.people.end()) continue;
    const nlohmann::json& doc = it->second.record.doc;
    if (f.gender == "unknown" && !Text(doc, "gender").empty()) f.gender = Text(doc, "gender");
    if (!f.birth) f.birth = DateOf(doc, "birth_date");
    if (f.hometown.empty()) f.hometown = Text(doc, "hometown");
    if (id_prefecture.empty() && doc.contains("identifiers") && doc["identifiers"].is_array()) {
      for (const auto& ident : doc["identifiers"]) {
        if (ident.is_object() && Text(ident, "kind") == "prc_id") {
          id_prefecture = PrefectureOfPrcId(Text(ident, "value"));
          if (!id_prefecture.empty()) break;
        }
      }
    }
    if (auto ev = h.events_of.find(pid); ev != h.events_of.end()) {
      for (const std::string& eid : ev->second) {
        const nlohmann::json& e = h.events.at(eid).record.doc;
        EventFact fact{eid, Text(e, "kind"), DateOf(e, "date"), Text(e, "facility"), {}};
        if (e.contains("term_months") && e["term_months"].is_number()) {
          fact.term_months = e["term_months"].get<double>();
        }
        f.events.push_back(std::move(fact));
      }
    }
  }
  f.prefecture = PrefectureOfPlace(f.hometown);
  if (f.prefecture.empty()) f.prefecture = id_prefecture;

  std::stable_sort(f.events.begin(), f.events.end(), [](const EventFact& a, const EventFact& b) {
    if (a.date.has_value() != b.date.has_value()) return a.date.has_value();
    if (!a.date) return a.id < b.id;
    if (a.date->earliest != b.date->earliest) return a.date->earliest < b.date->earliest;
    return a.id < b.id;
  });
  const EventFact* latest = nullptr;
  for (const EventFact& e : f.events) {
    if (e.date && (!latest || !latest->date || latest->date->latest <= e.date->latest)) latest = &e;
    if (!e.date && (!latest || !latest->date)) latest = &e;
    if (!e.facility.empty()) f.facilities.insert(e.facility);
    if (e.term_months &&
        (!f.longest_sentence_months || *e.term_months > *f.longest_sentence_months))
      f.longest_sentence_months = e.term_months;
    if (e.kind == "detained" && e.date && !f.first_detention) f.first_detention = e.date;
  }
  if (latest) f.status = latest->kind;
  if (f.first_detention && f.birth) {
    const double days = Middle(*f.first_detention) - Middle(*f.birth);
    if (days >= 0) f.age_at_detention = static_cast<int>(days / 365.2425);
  }
  return f;
}

std::vector<PersonFacts> AllFacts(const Holdings& holdings) {
  std::vector<PersonFacts> out;
  for (const IdentityCluster& c : CountedPeople(holdings)) out.push_back(FactsOf(holdings, c));
  return out;
}

}  // namespace izde::report
