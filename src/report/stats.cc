#include "report/stats.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>

#include "csv/csv_writer.h"
#include "places/gazetteer.h"

namespace izde::report {
namespace {

struct DimensionInfo {
  Dimension d;
  std::string_view name, title, definition;
};

constexpr DimensionInfo kDimensions[] = {
    {Dimension::kStatus, "status", "People by status",
     "status = the kind of the person's most recent dated event (by the latest day its date "
     "allows); undated events count only when none is dated; 'no events recorded' otherwise"},
    {Dimension::kHometown, "hometown", "People by hometown",
     "hometown as the gazetteer resolves it (one row per place, whatever the script it was "
     "written in; a name several places of one prefecture share counts for the prefecture); "
     "names it does not know are listed as written"},
    {Dimension::kPrefecture, "prefecture", "People by prefecture of origin",
     "prefecture of the hometown when the gazetteer resolves it unambiguously, else of the "
     "region code of the person's PRC ID number"},
    {Dimension::kYear, "year", "People by year of first detention",
     "year of the person's earliest 'detained' event; dates spanning two or more years are "
     "'year uncertain'"},
    {Dimension::kFacility, "facility", "People by facility",
     "people with any event at the facility; a person held at two facilities is counted in "
     "both rows"},
    {Dimension::kEvent, "event", "People by what happened to them",
     "people with at least one event of the kind; one person can be in several rows"},
    {Dimension::kAge, "age", "People by age at first detention",
     "age in years between the middles of the birth date and of the first detention date"},
    {Dimension::kGender, "gender", "People by gender", "gender as recorded"},
    {Dimension::kMonth, "month", "First detentions by month",
     "month of the person's earliest 'detained' event, for dates known to the month; dates "
     "known only to a season, year or range are counted in 'month unknown'"},
    {Dimension::kSentence, "sentence", "People by length of sentence",
     "the longest prison term recorded in any 'sentenced' event of the person"},
};

const DimensionInfo& Info(Dimension d) {
  for (const auto& i : kDimensions) {
    if (i.d == d) return i;
  }
  return kDimensions[0];
}

std::string Text(const nlohmann::json& doc, const char* field) {
  auto it = doc.find(field);
  return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string PlaceLabel(const places::Place& p) {
  return p.other.empty() ? p.pinyin : p.other.front();
}

// The place a hometown names: the one confident match, or, when several places of one
// prefecture share the name (Kashgar city and prefecture), that prefecture; else null.
const places::Place* HometownPlace(const std::string& text) {
  const places::Gazetteer& g = places::Gazetteer::Xinjiang();
  auto matches = g.Resolve(text);
  if (!matches.ok()) return nullptr;
  std::vector<const places::Place*> confident;
  for (const auto& m : *matches) {
    if (m.score >= 0.95) confident.push_back(m.place);
  }
  if (confident.size() == 1) return confident.front();
  if (confident.empty()) return nullptr;
  const std::string prefecture = confident.front()->code.substr(0, 4) + "00";
  for (const places::Place* p : confident) {
    if (p->code.substr(0, 4) + "00" != prefecture) return nullptr;
  }
  const places::Place* p = g.ByCode(prefecture);
  return p && p->code == prefecture ? p : nullptr;
}

std::string FacilityLabel(const Holdings& h, const std::string& id) {
  auto it = h.facilities.find(id);
  if (it == h.facilities.end()) return id;
  const auto& names = it->second.record.doc.value("names", nlohmann::json::array());
  for (const auto& n : names) {
    if (n.is_object() && !Text(n, "text").empty()) return Text(n, "text");
  }
  return id;
}

// Rows from key -> (label, count), largest first, then by key; `last` keys go last.
std::vector<TallyRow> Rows(const std::map<std::string, std::pair<std::string, int64_t>>& m,
                           const std::vector<std::string>& last = {}) {
  std::vector<TallyRow> rows, tail;
  for (const auto& [key, lc] : m) {
    TallyRow row{key, lc.first, lc.second};
    if (std::find(last.begin(), last.end(), key) != last.end())
      tail.push_back(row);
    else
      rows.push_back(row);
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const TallyRow& a, const TallyRow& b) { return a.people > b.people; });
  rows.insert(rows.end(), tail.begin(), tail.end());
  return rows;
}

// Rows in key order (years, months, bands): a timeline reads left to right.
std::vector<TallyRow> OrderedRows(const std::map<std::string, std::pair<std::string, int64_t>>& m,
                                  const std::vector<std::string>& last = {}) {
  std::vector<TallyRow> rows, tail;
  for (const auto& [key, lc] : m) {
    (std::find(last.begin(), last.end(), key) != last.end() ? tail : rows)
        .push_back({key, lc.first, lc.second});
  }
  rows.insert(rows.end(), tail.begin(), tail.end());
  return rows;
}

void Bump(std::map<std::string, std::pair<std::string, int64_t>>& m, const std::string& key,
          const std::string& label) {
  auto& entry = m[key];
  entry.first = label;
  ++entry.second;
}

std::string AgeBand(int age) {
  if (age < 18) return "00-17";
  if (age < 30) return "18-29";
  if (age < 45) return "30-44";
  if (age < 60) return "45-59";
  return "60+";
}

// Sentence bands keyed so that they sort in order.
std::pair<std::string, std::string> SentenceBand(double months) {
  const double years = months / 12;
  if (years < 1) return {"a_under_1", "under 1 year"};
  if (years < 5) return {"b_1_4", "1-4 years"};
  if (years < 10) return {"c_5_9", "5-9 years"};
  if (years < 15) return {"d_10_14", "10-14 years"};
  if (years < 20) return {"e_15_19", "15-19 years"};
  return {"f_20_plus", "20 years or more"};
}

}  // namespace

Result<Dimension> ParseDimension(std::string_view name) {
  for (const auto& i : kDimensions) {
    if (i.name == name) return i.d;
  }
  return Status::InvalidInput("cannot count by '" + std::string(name) + "': choose one of " +
                              DimensionList());
}

std::string_view DimensionName(Dimension d) { return Info(d).name; }

std::string DimensionList() {
  std::string out;
  for (const auto& i : kDimensions) {
    if (!out.empty()) out += ", ";
    out += i.name;
  }
  return out;
}

std::string PrefectureLabel(const std::string& code) {
  // Short English names, as maps and the press use them; the gazetteer has every form.
  static const std::map<std::string, std::string> kShort = {
      {"650100", "Urumqi"},  {"650200", "Karamay"}, {"650400", "Turpan"},     {"650500", "Hami"},
      {"652300", "Changji"}, {"652700", "Bortala"}, {"652800", "Bayingolin"}, {"652900", "Aksu"},
      {"653000", "Kizilsu"}, {"653100", "Kashgar"}, {"653200", "Hotan"},      {"654000", "Ili"},
      {"654200", "Tacheng"}, {"654300", "Altay"}};
  if (auto it = kShort.find(code); it != kShort.end()) return it->second;
  const places::Place* p = places::Gazetteer::Xinjiang().ByCode(code);
  if (!p || p->code != code) return code;
  return PlaceLabel(*p);
}

std::string EventKindLabel(const std::string& kind) {
  static const std::map<std::string, std::string> kLabels = {
      {"held_at_facility", "held at a facility"}, {"house_arrest", "under house arrest"},
      {"travel_restricted", "travel restricted"}, {"passport_confiscated", "passport confiscated"},
      {"forced_labour", "forced labour"},         {"contact_lost", "contact lost"},
      {"contact_restored", "contact restored"},   {"no_events", "no events recorded"},
  };
  auto it = kLabels.find(kind);
  return it != kLabels.end() ? it->second : kind;
}

Tally Count(const Holdings& h, const std::vector<PersonFacts>& facts, Dimension by) {
  const DimensionInfo& info = Info(by);
  Tally t;
  t.by = by;
  t.title = std::string(info.title);
  t.definition = std::string(info.definition) + "; " + CountingUnitNote();
  t.people_total = static_cast<int64_t>(facts.size());
  std::map<std::string, std::pair<std::string, int64_t>> m;
  switch (by) {
    case Dimension::kStatus:
      for (const auto& f : facts) Bump(m, f.status, EventKindLabel(f.status));
      t.rows = Rows(m, {"no_events"});
      break;
    case Dimension::kHometown:
      for (const auto& f : facts) {
        if (f.hometown.empty()) {
          Bump(m, "unknown", "not recorded");
          continue;
        }
        const places::Place* p = HometownPlace(f.hometown);
        if (p)
          Bump(m, p->code,
               p->level == places::PlaceLevel::kCounty ? PlaceLabel(*p) : PrefectureLabel(p->code));
        else
          Bump(m, "as_written:" + f.hometown, f.hometown);
      }
      t.rows = Rows(m, {"unknown"});
      break;
    case Dimension::kPrefecture:
      for (const auto& f : facts) {
        if (f.prefecture.empty())
          Bump(m, "unknown", "unknown");
        else
          Bump(m, f.prefecture, PrefectureLabel(f.prefecture));
      }
      t.rows = Rows(m, {"unknown"});
      break;
    case Dimension::kYear:
      for (const auto& f : facts) {
        if (!f.first_detention) {
          Bump(m, "none", "no detention recorded");
        } else if (f.first_detention->earliest.year != f.first_detention->latest.year) {
          Bump(m, "uncertain", "year uncertain");
        } else {
          const std::string y = std::to_string(f.first_detention->earliest.year);
          Bump(m, y, y);
        }
      }
      t.rows = OrderedRows(m, {"uncertain", "none"});
      break;
    case Dimension::kMonth: {
      for (const auto& f : facts) {
        if (!f.first_detention) continue;
        const auto& d = *f.first_detention;
        if (d.earliest.year == d.latest.year && d.earliest.month == d.latest.month) {
          char key[16];
          std::snprintf(key, sizeof key, "%04d-%02d", d.earliest.year, d.earliest.month);
          Bump(m, key, key);
        } else {
          Bump(m, "unknown", "month unknown");
        }
      }
      // Months with no detention are rows too, so that a chart's gaps are true gaps.
      std::vector<std::string> months;
      for (const auto& [key, lc] : m) {
        if (key != "unknown") months.push_back(key);
      }
      if (!months.empty()) {
        int y = std::stoi(months.front().substr(0, 4)), mo = std::stoi(months.front().substr(5));
        const std::string end = months.back();
        for (;;) {
          char key[16];
          std::snprintf(key, sizeof key, "%04d-%02d", y, mo);
          if (std::string(key) > end) break;
          if (!m.count(key)) m[key] = {key, 0};
          if (++mo > 12) mo = 1, ++y;
        }
      }
      t.rows = OrderedRows(m, {"unknown"});
      break;
    }
    case Dimension::kFacility:
      for (const auto& f : facts) {
        for (const auto& fac : f.facilities) Bump(m, fac, FacilityLabel(h, fac));
      }
      t.rows = Rows(m);
      break;
    case Dimension::kEvent:
      for (const auto& f : facts) {
        std::set<std::string> kinds;
        for (const auto& e : f.events) kinds.insert(e.kind);
        for (const auto& k : kinds) Bump(m, k, EventKindLabel(k));
      }
      t.rows = Rows(m);
      break;
    case Dimension::kAge:
      for (const auto& f : facts) {
        if (f.age_at_detention)
          Bump(m, AgeBand(*f.age_at_detention), AgeBand(*f.age_at_detention));
        else
          Bump(m, "unknown", "unknown");
      }
      t.rows = OrderedRows(m, {"unknown"});
      break;
    case Dimension::kGender:
      for (const auto& f : facts) Bump(m, f.gender, f.gender);
      t.rows = Rows(m, {"unknown"});
      break;
    case Dimension::kSentence:
      for (const auto& f : facts) {
        if (f.longest_sentence_months) {
          auto [key, label] = SentenceBand(*f.longest_sentence_months);
          Bump(m, key, label);
        } else if (std::any_of(f.events.begin(), f.events.end(),
                               [](const EventFact& e) { return e.kind == "sentenced"; })) {
          Bump(m, "unknown", "sentenced, length unknown");
        }
      }
      t.rows = OrderedRows(m, {"unknown"});
      break;
  }
  return t;
}

nlohmann::json ToJson(const Tally& t) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& r : t.rows)
    rows.push_back({{"key", r.key}, {"label", r.label}, {"people", r.people}});
  return {{"by", DimensionName(t.by)},
          {"title", t.title},
          {"definition", t.definition},
          {"people_total", t.people_total},
          {"rows", rows}};
}

std::string ToCsv(const Tally& t) {
  std::ostringstream out;
  csv::Writer w(out, "stats");
  (void)w.WriteRow(std::vector<std::string>{"key", "label", "people"});
  for (const auto& r : t.rows) {
    (void)w.WriteRow(std::vector<std::string>{r.key, r.label, std::to_string(r.people)});
  }
  return out.str();
}

std::string ToText(const Tally& t) {
  std::ostringstream out;
  out << t.title << " (" << t.people_total << " people)\n";
  size_t width = 0;
  for (const auto& r : t.rows) width = std::max(width, r.label.size());
  for (const auto& r : t.rows) {
    out << "  " << r.label << std::string(width - r.label.size() + 2, ' ') << r.people << "\n";
  }
  out << "Counted: " << t.definition << ".\n";
  return out.str();
}

}  // namespace izde::report
