#include "identity/capture_lists.h"

#include <algorithm>
#include <map>
#include <set>

#include "estimate/strata.h"
#include "places/gazetteer.h"

namespace izde::identity {
namespace {

using model::RecordType;

std::vector<std::string> Strings(const nlohmann::json& doc, const char* field) {
  std::vector<std::string> out;
  auto it = doc.find(field);
  if (it == doc.end()) return out;
  if (it->is_string()) out.push_back(it->get<std::string>());
  if (it->is_array())
    for (const auto& x : *it)
      if (x.is_string()) out.push_back(x.get<std::string>());
  return out;
}

// The first four-digit year in a partial date ("spring 2018", "about 1975", "2019-03").
int Year(const std::string& date) {
  for (size_t i = 0; i + 4 <= date.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(date[i]))) continue;
    size_t j = i;
    while (j < date.size() && std::isdigit(static_cast<unsigned char>(date[j]))) ++j;
    if (j - i == 4) return std::stoi(date.substr(i, 4));
    i = j;
  }
  return 0;
}

std::string ListOf(const nlohmann::json& source) {
  std::string list = source.value("list", "");
  return list.empty() ? source.value("kind", "other") : list;
}

const places::Place* PlaceOf(const std::string& text) {
  if (text.empty()) return nullptr;
  auto m = places::Gazetteer::Xinjiang().Resolve(text);
  if (!m.ok() || m->empty()) return nullptr;
  return (*m)[0].place;
}

std::string PlaceName(const places::Place* p) {
  if (!p) return "unknown";
  return p->pinyin.empty() ? p->code : p->pinyin;
}

const places::Place* Prefecture(const places::Place* p) {
  if (!p || p->level == places::PlaceLevel::kRegion) return p;
  return places::Gazetteer::Xinjiang().ByCode(p->code.substr(0, 4) + "00");
}

// What a cluster is, for strata and filters: its members' documents and events.
struct Unit {
  std::vector<const nlohmann::json*> people;
  std::vector<const nlohmann::json*> events;
  uint32_t mask = 0;
};

std::string FirstValue(const Unit& u, const char* field) {
  for (const auto* p : u.people)
    if (std::string v = p->value(field, ""); !v.empty()) return v;
  return "";
}

Result<std::string> StratumOf(const Unit& u, const std::string& by) {
  if (by == "gender") {
    std::string g = FirstValue(u, "gender");
    return g.empty() ? "unknown" : g;
  }
  if (by == "birth-decade") {
    int y = Year(FirstValue(u, "birth_date"));
    return y ? std::to_string(y / 10 * 10) + "s" : "unknown";
  }
  if (by == "hometown") return PlaceName(PlaceOf(FirstValue(u, "hometown")));
  if (by == "prefecture") return PlaceName(Prefecture(PlaceOf(FirstValue(u, "hometown"))));
  return Status::InvalidInput("--stratify '" + by +
                              "' is not known: use hometown, prefecture, birth-decade or gender");
}

struct Condition {
  std::string key, value;
  int from = 0, to = 0;
};

Result<Condition> ParseCondition(const std::string& text) {
  const size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size())
    return Status::InvalidInput("--where '" + text + "' must be KEY=VALUE, e.g. event=detained");
  Condition c{text.substr(0, eq), text.substr(eq + 1)};
  static const std::set<std::string> kKeys = {"event", "year",     "gender",
                                              "kind",  "hometown", "prefecture"};
  if (!kKeys.count(c.key))
    return Status::InvalidInput("--where " + c.key +
                                "=...: not a known condition; use event, year, gender, kind, "
                                "hometown or prefecture");
  if (c.key == "year") {
    const size_t dash = c.value.find('-');
    c.from = Year(c.value.substr(0, dash));
    c.to = dash == std::string::npos ? c.from : Year(c.value.substr(dash + 1));
    if (!c.from || !c.to || c.to < c.from)
      return Status::InvalidInput("--where year=" + c.value +
                                  ": give a year or a period such as 2017-2019");
  }
  return c;
}

bool Meets(const Unit& u, const Condition& c) {
  if (c.key == "event") {
    for (const auto* e : u.events)
      if (e->value("kind", "") == c.value) return true;
    return false;
  }
  if (c.key == "year") {
    for (const auto* e : u.events) {
      const int y = Year(e->value("date", ""));
      if (y && y >= c.from && y <= c.to) return true;
    }
    return false;
  }
  if (c.key == "kind") {
    for (const auto* p : u.people)
      if (p->value("kind", "documented") == c.value) return true;
    return false;
  }
  if (c.key == "gender") return FirstValue(u, "gender") == c.value;
  const places::Place* want = PlaceOf(c.value);
  const places::Place* have = PlaceOf(FirstValue(u, "hometown"));
  if (!want || !have) return false;
  if (c.key == "hometown") return want->code == have->code;
  const places::Place* pw = Prefecture(want);
  const places::Place* ph = Prefecture(have);
  return pw && ph && pw->code == ph->code;
}

// For each person, the lists they are on.
std::unordered_map<std::string, std::set<std::string>> ListsOfPeople(const VaultView& view) {
  std::unordered_map<std::string, std::string> list_of_source;
  std::unordered_map<std::string, std::vector<std::string>> sources_of_testimony;
  for (const auto& [id, v] : view.records) {
    if (v.record.type != RecordType::kSource) continue;
    list_of_source[id] = ListOf(v.record.doc);
    if (std::string t = v.record.doc.value("testimony", ""); !t.empty())
      sources_of_testimony[t].push_back(id);
  }
  std::unordered_map<std::string, std::set<std::string>> out;
  auto add = [&](const std::string& person, const std::string& source) {
    if (auto it = list_of_source.find(source); it != list_of_source.end())
      out[person].insert(it->second);
  };
  for (const auto& [id, v] : view.people)
    for (const auto& s : Strings(v.record.doc, "sources")) add(id, s);
  for (const auto& [id, v] : view.records) {
    if (v.record.type == RecordType::kEvent) {
      const std::string person = v.record.doc.value("person", "");
      for (const auto& s : Strings(v.record.doc, "sources")) add(person, s);
    } else if (v.record.type == RecordType::kTestimony) {
      auto it = sources_of_testimony.find(id);
      if (it == sources_of_testimony.end()) continue;
      for (const auto& person : Strings(v.record.doc, "people"))
        for (const auto& s : it->second) add(person, s);
    }
  }
  return out;
}

// Years of the events of people on each list, for the coverage check.
std::string Period(std::vector<int> years) {
  if (years.size() < 5) return "";
  std::sort(years.begin(), years.end());
  const int lo = years[years.size() / 4], hi = years[years.size() * 3 / 4];
  return std::to_string(lo) + "-" + std::to_string(hi);
}

}  // namespace

std::vector<std::pair<std::string, int64_t>> VaultLists(const VaultView& view) {
  std::map<std::string, int64_t> n;
  for (const auto& [id, v] : view.records)
    if (v.record.type == RecordType::kSource) n.emplace(ListOf(v.record.doc), 0);
  for (const auto& [person, lists] : ListsOfPeople(view))
    for (const auto& l : lists) ++n[l];
  return {n.begin(), n.end()};
}

std::vector<std::string> VaultListNames(const VaultView& view) {
  std::set<std::string> names;
  for (const auto& [id, v] : view.records)
    if (v.record.type == RecordType::kSource) names.insert(ListOf(v.record.doc));
  return {names.begin(), names.end()};
}

Result<VaultCaptures> CapturesFromVault(const VaultView& view, const IdentityClusters& clusters,
                                        const CaptureOptions& options) {
  VaultCaptures out;
  const auto all = VaultLists(view);
  std::string known;
  for (const auto& [name, n] : all)
    known += (known.empty() ? "" : ", ") + name + " (" + std::to_string(n) + ")";
  if (options.lists.empty()) {
    for (const auto& [name, _] : all) out.lists.push_back(name);
  } else {
    for (const auto& name : options.lists) {
      if (std::find(out.lists.begin(), out.lists.end(), name) != out.lists.end())
        return Status::InvalidInput("--lists names '" + name + "' twice");
      if (std::none_of(all.begin(), all.end(), [&](const auto& l) { return l.first == name; }))
        return Status::InvalidInput("there is no list '" + name + "' in this vault; its lists: " +
                                    (known.empty() ? "none" : known));
      out.lists.push_back(name);
    }
  }
  if (out.lists.size() < 2)
    return Status::InvalidInput(
        "estimation needs at least two lists (sources of different kinds, or sources with a "
        "list name); this vault has " +
        (known.empty() ? std::string("no sources") : known));
  if (out.lists.size() > static_cast<size_t>(estimate::kMaxLists))
    return Status::InvalidInput("this vault has " + std::to_string(out.lists.size()) +
                                " lists; choose at most " + std::to_string(estimate::kMaxLists) +
                                " with --lists (" + known + ")");
  std::vector<Condition> conditions;
  for (const auto& w : options.where) {
    IZDE_ASSIGN_OR_RETURN(Condition c, ParseCondition(w));
    conditions.push_back(std::move(c));
  }
  std::unordered_map<std::string, uint32_t> bit;
  for (uint32_t i = 0; i < out.lists.size(); ++i) bit[out.lists[i]] = 1u << i;
  const auto lists_of = ListsOfPeople(view);
  std::unordered_map<std::string, std::vector<const nlohmann::json*>> events_of;
  for (const auto& [id, v] : view.records)
    if (v.record.type == RecordType::kEvent)
      events_of[v.record.doc.value("person", "")].push_back(&v.record.doc);
  // Units: one per cluster.
  std::map<std::string, Unit> units;
  for (const auto& [id, v] : view.people) {
    Unit& u = units[clusters.ClusterOf(id)];
    u.people.push_back(&v.record.doc);
    if (auto it = events_of.find(id); it != events_of.end())
      u.events.insert(u.events.end(), it->second.begin(), it->second.end());
    if (auto it = lists_of.find(id); it != lists_of.end())
      for (const auto& l : it->second)
        if (auto b = bit.find(l); b != bit.end()) u.mask |= b->second;
  }
  std::map<std::string, std::vector<int64_t>> strata;
  out.list_sizes.assign(out.lists.size(), 0);
  std::vector<std::vector<int>> years(out.lists.size());
  for (const auto& [name, u] : units) {
    if (u.mask == 0) continue;
    if (!std::all_of(conditions.begin(), conditions.end(),
                     [&](const Condition& c) { return Meets(u, c); }))
      continue;
    std::string stratum = "all";
    if (!options.stratify.empty()) {
      IZDE_ASSIGN_OR_RETURN(stratum, StratumOf(u, options.stratify));
    }
    auto& counts = strata[stratum];
    if (counts.empty()) counts.assign(size_t{1} << out.lists.size(), 0);
    ++counts[u.mask];
    ++out.clusters;
    out.people += static_cast<int64_t>(u.people.size());
    for (size_t i = 0; i < out.lists.size(); ++i) {
      if (!(u.mask >> i & 1)) continue;
      ++out.list_sizes[i];
      for (const auto* e : u.events)
        if (int y = Year(e->value("date", "")); y) years[i].push_back(y);
    }
  }
  if (out.clusters == 0)
    return Status::InvalidInput("nobody in this vault is on the chosen lists" +
                                std::string(conditions.empty() ? "" : " and meets --where"));
  for (auto& [name, counts] : strata) out.strata.push_back({name, std::move(counts)});
  // Lists whose people's events fall in periods that do not overlap cover different
  // periods: the table's own warning names them when their coverage differs.
  std::vector<std::string> periods;
  for (auto& y : years) periods.push_back(Period(y));
  bool disjoint = false;
  for (size_t i = 0; i < periods.size(); ++i)
    for (size_t j = i + 1; j < periods.size(); ++j) {
      if (periods[i].empty() || periods[j].empty()) continue;
      const int ai = std::stoi(periods[i]), bi = std::stoi(periods[i].substr(5));
      const int aj = std::stoi(periods[j]), bj = std::stoi(periods[j].substr(5));
      if (bi < aj || bj < ai) disjoint = true;
    }
  if (disjoint)
    for (size_t i = 0; i < out.lists.size(); ++i)
      out.coverage.push_back({out.lists[i], "", periods[i].empty() ? "" : periods[i]});
  if (out.people > out.clusters)
    out.warnings.push_back(std::to_string(out.people) + " person records are counted as " +
                           std::to_string(out.clusters) +
                           " people through the links reviewers accepted; unreviewed "
                           "duplicates still inflate the estimate (izde review)");
  return out;
}

Result<estimate::EstimateReport> EstimateFromVault(const VaultCaptures& captures,
                                                   const estimate::EstimateOptions& options) {
  estimate::EstimateOptions o = options;
  o.coverage = captures.coverage;
  std::vector<estimate::Stratum> done;
  for (const auto& s : captures.strata) {
    IZDE_ASSIGN_OR_RETURN(auto table, estimate::MakeCaptureTable(captures.lists, s.counts));
    auto report = estimate::Run(table, o);
    if (!report.ok()) return report.status().Within("stratum '" + s.name + "'");
    done.push_back({s.name, std::move(report).value()});
  }
  estimate::EstimateReport report;
  if (done.size() == 1) {
    report = std::move(done[0].report);
  } else {
    IZDE_ASSIGN_OR_RETURN(report, estimate::SumStrata(done, o.seed));
  }
  report.warnings.insert(report.warnings.begin(), captures.warnings.begin(),
                         captures.warnings.end());
  return report;
}

}  // namespace izde::identity
