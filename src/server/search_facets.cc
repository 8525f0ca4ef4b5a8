#include "server/search_facets.h"

#include <algorithm>

#include "dates/partial_date.h"
#include "model/schema.h"
#include "places/gazetteer.h"
#include "server/catalog.h"

namespace izde::server {
namespace {

using json = nlohmann::json;

const std::vector<std::string_view>& ChoicesOf(model::RecordType type, const std::string& field) {
  static const std::vector<std::string_view> kNone;
  for (const auto& spec : model::FieldsOf(type))
    if (spec.name == field) return spec.choices;
  return kNone;
}

bool IsChoice(model::RecordType type, const std::string& field, const std::string& value) {
  const auto& c = ChoicesOf(type, field);
  return std::find(c.begin(), c.end(), value) != c.end();
}

// ASCII letters folded; other scripts compared as written (NFC in the vault).
std::string Fold(std::string s) {
  for (char& ch : s)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  return s;
}

std::string Trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

std::string Str(const json& doc, const char* field) {
  auto it = doc.find(field);
  return it != doc.end() && it->is_string() ? it->get<std::string>() : "";
}

std::vector<std::string> Refs(const json& doc, const char* field) {
  std::vector<std::string> out;
  auto it = doc.find(field);
  if (it != doc.end() && it->is_array())
    for (const auto& r : *it)
      if (r.is_string()) out.push_back(r.get<std::string>());
  return out;
}

// The best gazetteer place for a text, or null.
const places::Place* PlaceOf(const std::string& text) {
  if (text.empty()) return nullptr;
  auto m = places::Gazetteer::Xinjiang().Resolve(text);
  if (!m.ok() || m->empty() || (*m)[0].score < 0.9) return nullptr;
  return (*m)[0].place;
}

}  // namespace

Result<SearchFacets> ParseFacets(const httplib::Request& req) {
  SearchFacets f;
  for (const char* p : {"status", "hometown", "birth", "facility", "source", "list"})
    if (req.get_param_value(p).size() > 200)
      return Status::InvalidInput(std::string(p) + ": at most 200 bytes");
  f.status = Trim(req.get_param_value("status"));
  if (!f.status.empty() && !IsChoice(model::RecordType::kEvent, "kind", f.status))
    return Status::InvalidInput("status: not an event kind");
  f.source_type = Trim(req.get_param_value("source"));
  if (!f.source_type.empty() && !IsChoice(model::RecordType::kSource, "kind", f.source_type))
    return Status::InvalidInput("source: not a source type");
  f.hometown = Trim(req.get_param_value("hometown"));
  f.facility = Trim(req.get_param_value("facility"));
  f.list = Trim(req.get_param_value("list"));
  f.birth_text = Trim(req.get_param_value("birth"));
  if (!f.birth_text.empty()) {
    const std::string& b = f.birth_text;
    auto year = [](const std::string& s) -> int {
      if (s.size() != 4 || s.find_first_not_of("0123456789") != std::string::npos) return 0;
      return std::stoi(s);
    };
    const auto dash = b.find('-');
    f.birth_from = year(dash == std::string::npos ? b : Trim(b.substr(0, dash)));
    f.birth_to = dash == std::string::npos ? f.birth_from : year(Trim(b.substr(dash + 1)));
    if (!f.birth_from || !f.birth_to || f.birth_to < f.birth_from)
      return Status::InvalidInput("birth: a year (1975) or years (1970-1979)");
  }
  return f;
}

FacetMatcher::FacetMatcher(vault::Vault& v, const RecordLinks& links, const Viewer& viewer,
                           const SearchFacets& facets)
    : v_(v), links_(links), viewer_(viewer), f_(facets) {
  if (const places::Place* p = PlaceOf(f_.hometown)) want_place_code_ = p->code;
}

const model::Record* FacetMatcher::Open(const std::string& id) {
  auto it = cache_.find(id);
  if (it == cache_.end()) {
    auto o = viewer_.Open(v_, id);
    it = cache_.emplace(id, o.ok() ? std::optional<model::Record>(o->record) : std::nullopt).first;
  }
  return it->second ? &*it->second : nullptr;
}

bool FacetMatcher::HometownMatches(const std::string& hometown) const {
  if (hometown.empty()) return false;
  if (Fold(hometown) == Fold(f_.hometown)) return true;
  if (want_place_code_.empty()) return false;
  const places::Place* have = PlaceOf(hometown);
  if (!have) return false;
  if (have->code == want_place_code_) return true;
  // A prefecture ("xx xx 00") or the region ("xx 00 00") takes in what lies within it.
  const std::string& w = want_place_code_;
  if (w.size() == 6 && w.substr(4) == "00") {
    const size_t prefix = w.substr(2, 2) == "00" ? 2 : 4;
    return have->code.compare(0, prefix, w, 0, prefix) == 0;
  }
  return false;
}

Result<bool> FacetMatcher::Matches(const model::Record& person) {
  if (person.type != model::RecordType::kPerson) return false;
  const json& doc = person.doc;
  if (!f_.hometown.empty() && !HometownMatches(Str(doc, "hometown"))) return false;
  if (f_.birth_from) {
    auto born = dates::Parse(Str(doc, "birth_date"));
    if (!born.ok() || born->latest.year < f_.birth_from || born->earliest.year > f_.birth_to)
      return false;
  }
  if (f_.status.empty() && f_.facility.empty() && f_.source_type.empty() && f_.list.empty())
    return true;

  // What is written about the person: their events (the latest decides the status),
  // the testimonies naming them, and the sources of all of these.
  std::optional<dates::CivilDate> latest_date;
  std::string status;
  bool at_facility = false;
  std::vector<std::string> sources = Refs(doc, "sources");
  for (const auto& id : links_.Linked(person.id)) {
    const model::Record* r = Open(id);
    if (!r) continue;
    auto refers = PeopleReferredTo(*r);
    if (std::find(refers.begin(), refers.end(), person.id) == refers.end()) continue;
    if (r->type == model::RecordType::kEvent) {
      // The status is the kind of the latest dated event (an undated one only when
      // nothing is dated).
      auto when = dates::Parse(Str(r->doc, "date"));
      if (when.ok()) {
        if (!latest_date || when->earliest >= *latest_date) {
          latest_date = when->earliest;
          status = Str(r->doc, "kind");
        }
      } else if (!latest_date && status.empty()) {
        status = Str(r->doc, "kind");
      }
      for (const auto& s : Refs(r->doc, "sources")) sources.push_back(s);
      if (!f_.facility.empty() && !at_facility) {
        const std::string fac = Str(r->doc, "facility");
        if (!fac.empty()) {
          if (fac == f_.facility) {
            at_facility = true;
          } else if (const model::Record* facility = Open(fac)) {
            if (auto names = facility->doc.find("names");
                names != facility->doc.end() && names->is_array())
              for (const auto& n : *names)
                if (Fold(Str(n, "text")).find(Fold(f_.facility)) != std::string::npos)
                  at_facility = true;
          }
        }
      }
    } else if (r->type == model::RecordType::kTestimony) {
      // A testimony is a source of the kind "testimony" even without a source record.
      if (f_.source_type == "testimony") sources.push_back("=testimony");
    }
  }
  if (!f_.status.empty() && status != f_.status) return false;
  if (!f_.facility.empty() && !at_facility) return false;
  if (!f_.source_type.empty() || !f_.list.empty()) {
    bool type_ok = f_.source_type.empty(), list_ok = f_.list.empty();
    for (const auto& s : sources) {
      if (s == "=testimony") {
        type_ok = true;
        continue;
      }
      const model::Record* src = Open(s);
      if (!src || src->type != model::RecordType::kSource) continue;
      if (!type_ok && Str(src->doc, "kind") == f_.source_type) type_ok = true;
      if (!list_ok && Fold(Str(src->doc, "list")) == Fold(f_.list)) list_ok = true;
    }
    if (!type_ok || !list_ok) return false;
  }
  return true;
}

json FacetsModel(const SearchFacets& f, const std::string& lang) {
  auto options = [&](model::RecordType type, const std::string& prefix, const std::string& chosen) {
    json out = json::array({{{"value", ""}, {"label", "—"}, {"selected", chosen.empty()}}});
    for (auto c : ChoicesOf(type, "kind")) {
      std::string v(c);
      out.push_back(
          {{"value", v}, {"label", Translate(lang, prefix + v)}, {"selected", v == chosen}});
    }
    return out;
  };
  return json{{"status_options", options(model::RecordType::kEvent, "kind_", f.status)},
              {"source_options", options(model::RecordType::kSource, "source_", f.source_type)},
              {"hometown", f.hometown},
              {"birth", f.birth_text},
              {"facility", f.facility},
              {"list", f.list},
              {"any", f.any()}};
}

}  // namespace izde::server
