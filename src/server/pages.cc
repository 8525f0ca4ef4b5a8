#include "server/pages.h"

#include <algorithm>
#include <ctime>

#include "dates/partial_date.h"
#include "dates/utc_time.h"
#include "model/schema.h"
#include "names/compare.h"
#include "server/catalog.h"
#include "server/search_facets.h"

namespace izde::server {
namespace {

using json = nlohmann::json;

std::string Str(const json& doc, const char* field) {
  auto it = doc.find(field);
  return it != doc.end() && it->is_string() ? it->get<std::string>() : "";
}

// The label of an enumeration value: catalog key "<field>_<value>".
std::string Label(const std::string& lang, const std::string& field, const std::string& value) {
  if (value.empty()) return "";
  return Translate(lang, field + "_" + value);
}

std::string IsoDay(int64_t unix_seconds) { return dates::UtcMinute(unix_seconds); }

// Select options for an enumerated field of `type`, with the chosen one marked.
json Options(model::RecordType type, const std::string& field, const std::string& chosen,
             const std::string& lang, bool with_blank) {
  json out = json::array();
  if (with_blank) out.push_back({{"value", ""}, {"label", "—"}, {"selected", chosen.empty()}});
  for (const auto& spec : model::FieldsOf(type)) {
    if (spec.name != field) continue;
    for (const auto& c : spec.choices) {
      std::string v(c);
      out.push_back({{"value", v}, {"label", Label(lang, field, v)}, {"selected", v == chosen}});
    }
  }
  return out;
}

// One form field for the template: value, and its error in the user's language.
json Field(const IntakeForm& form, const std::string& name, const std::string& lang) {
  json f = {{"name", name}, {"value", ""}, {"error", ""}, {"has_error", false}};
  if (auto it = form.values.find(name); it != form.values.end()) f["value"] = it->second;
  if (auto it = form.errors.find(name); it != form.errors.end()) {
    f["error"] = Translate(lang, it->second);
    f["has_error"] = true;
  }
  return f;
}

std::string ValueOf(const IntakeForm& form, const std::string& name) {
  auto it = form.values.find(name);
  return it == form.values.end() ? "" : it->second;
}

// The index marks matches in a snippet with [brackets]; the page shows them
// as <mark> from a list of plain parts, so the snippet itself is never markup.
json SnippetParts(const std::string& snippet) {
  json parts = json::array();
  std::string text;
  bool marked = false;
  auto flush = [&] {
    if (!text.empty()) parts.push_back({{"text", text}, {"mark", marked}});
    text.clear();
  };
  for (char ch : snippet) {
    if (ch == (marked ? ']' : '[')) {
      flush();
      marked = !marked;
    } else {
      text += ch;
    }
  }
  flush();
  return parts;
}

}  // namespace

bool Viewer::MayRead(const std::string& id, const std::string& type) const {
  if (type == "witness" && !witness) return false;
  if (read_all) return true;
  if (shared.count(id)) return true;
  return links && !account_id.empty() && links->AuthorOf(id) == account_id;
}

Result<vault::OpenedVersion> Viewer::Open(vault::Vault& v, const std::string& id) const {
  auto opened = v.Get(id);
  if (!opened.ok()) return opened.status();
  if (!MayRead(id, std::string(model::TypeName(opened->record.type))))
    return Status::NotFound("no record with id '" + id + "'");
  return opened;
}

std::string RecordTitle(const model::Record& r) {
  if (auto it = r.doc.find("names"); it != r.doc.end() && it->is_array() && !it->empty())
    if (auto t = (*it)[0].find("text"); t != (*it)[0].end() && t->is_string())
      return t->get<std::string>();
  for (const char* field : {"name", "title", "kind"})
    if (auto s = Str(r.doc, field); !s.empty()) return s;
  return r.id;
}

std::string RecordCaption(const model::Record& r, const std::string& lang) {
  if (r.type == model::RecordType::kPerson || r.type == model::RecordType::kFacility)
    return RecordTitle(r);
  std::string caption;
  for (const char* f : {"kind", "date", "place"}) {
    auto s = Str(r.doc, f);
    if (s.empty()) continue;
    if (std::string_view(f) == "kind")
      s = Translate(lang, (r.type == model::RecordType::kRelation ? "relation_" : "kind_") + s);
    caption += (caption.empty() ? "" : ", ") + s;
  }
  return caption.empty() ? RecordTitle(r) : caption;
}

std::string RecordHref(const std::string& type, const std::string& id) {
  return (type == "person" ? "/person/" : "/record/") + id;
}

Result<json> DashboardModel(vault::Vault& v, const RecordLinks& links, const Viewer& viewer,
                            const std::string& lang) {
  json counts = json::array();
  int64_t total = 0;
  for (const auto& [type, n] : links.Counts()) {
    if (IsLinkageBookkeeping(type)) continue;
    if (type == "witness" && !viewer.witness) continue;
    counts.push_back({{"type", Label(lang, "type", type)}, {"count", std::to_string(n)}});
    total += n;
  }
  json recent = json::array();
  for (const auto& r : links.Recent()) {
    // Recent() holds no witness records: even for those who may read them,
    // the list is on every dashboard, and a witness read is audited.
    if (!viewer.MayRead(r.id, r.type)) continue;
    auto opened = v.Get(r.id);
    if (!opened.ok()) continue;
    recent.push_back({{"id", r.id},
                      {"type", Label(lang, "type", r.type)},
                      {"title", RecordCaption(opened->record, lang)},
                      {"href", RecordHref(r.type, r.id)},
                      {"when", IsoDay(r.created_at)}});
  }
  return json{{"counts", counts},
              {"total", std::to_string(total)},
              {"recent", recent},
              {"has_recent", !recent.empty()},
              {"witness_key", viewer.witness && v.has_witness_key()}};
}

size_t SearchLimit(const Viewer& viewer, const SearchFacets* facets) {
  // Documenters see only some records, and facets keep only some people: ask for
  // more, keep the first 50 that remain.
  return facets && facets->any() ? 1000 : viewer.read_all ? 50 : 500;
}

bool SearchNeedsVault(const Viewer& viewer, const SearchFacets* facets,
                      const std::vector<index::Hit>& found) {
  if (!viewer.read_all || (facets && facets->any())) return true;
  return std::any_of(found.begin(), found.end(), [](const auto& h) { return h.type == "witness"; });
}

Result<std::vector<index::Hit>> KeepVisible(vault::Vault* v, std::vector<index::Hit> found,
                                            const Viewer& viewer, const SearchFacets* facets,
                                            const RecordLinks* links) {
  std::vector<index::Hit> hits;
  std::optional<FacetMatcher> matcher;
  if (facets && facets->any()) {
    if (!v || !links) return Status::InvalidInput("facets are checked under the vault's lock");
    matcher.emplace(*v, *links, viewer, *facets);
  }
  for (auto& h : found) {
    if (!viewer.MayRead(h.id, h.type)) continue;
    if (hits.size() >= 50) break;
    if (matcher) {
      if (h.type != "person") continue;
      auto person = v->Get(h.id);
      if (!person.ok()) continue;
      IZDE_ASSIGN_OR_RETURN(bool keep, matcher->Matches(person->record));
      if (!keep) continue;
    }
    hits.push_back(std::move(h));
  }
  return hits;
}

json SearchModel(const std::vector<index::Hit>& found, const std::string& query,
                 const std::string& lang) {
  json hits = json::array(), witness_ids = json::array();
  for (const auto& h : found) {
    if (h.type == "witness") witness_ids.push_back(h.id);
    hits.push_back({{"id", h.id},
                    {"type", Label(lang, "type", h.type)},
                    {"title", h.title},
                    {"snippet", SnippetParts(h.snippet)},
                    {"href", RecordHref(h.type, h.id)}});
  }
  return json{{"q", query},   {"witness_ids", witness_ids}, {"searched", !query.empty()},
              {"hits", hits}, {"has_hits", !hits.empty()},  {"count", std::to_string(hits.size())}};
}

Result<json> PeopleNamed(vault::Vault& v, const Viewer& viewer, const std::string& name,
                         size_t limit, bool same_name) {
  json out = json::array();
  if (name.empty() || name.size() > 200) return out;
  auto found = v.Search(name, 100);
  if (!found.ok()) return out;  // a query the index cannot read finds nobody
  for (const auto& h : *found) {
    if (out.size() >= limit) break;
    if (h.type != "person" || !viewer.MayRead(h.id, h.type)) continue;
    auto person = v.Get(h.id);
    if (!person.ok()) continue;
    const json& doc = person->record.doc;
    std::string all;
    bool same = !same_name;
    if (auto it = doc.find("names"); it != doc.end() && it->is_array())
      for (const auto& n : *it) {
        const std::string text = Str(n, "text");
        if (text.empty() || Str(n, "part") == "father") continue;
        all += (all.empty() ? "" : " / ") + text;
        if (!same) {
          auto c = names::Compare(name, text);
          same = c.ok() && c->same;
        }
      }
    if (!same) continue;
    out.push_back({{"id", h.id},
                   {"href", RecordHref("person", h.id)},
                   {"names", all},
                   {"birth_date", Str(doc, "birth_date")},
                   {"hometown", Str(doc, "hometown")}});
  }
  return out;
}

Result<json> PersonModel(vault::Vault& v, const RecordLinks& links, const Viewer& viewer,
                         const std::string& id, const std::string& lang) {
  IZDE_ASSIGN_OR_RETURN(auto person, viewer.Open(v, id));
  const auto& doc = person.record.doc;
  if (person.record.type != model::RecordType::kPerson)
    return Status::NotFound("record " + id + " is not a person");
  json names = json::array();
  if (auto it = doc.find("names"); it != doc.end() && it->is_array())
    for (const auto& n : *it)
      names.push_back({{"text", Str(n, "text")},
                       {"part", Label(lang, "part", Str(n, "part"))},
                       {"script", Str(n, "script")}});

  struct Dated {
    std::optional<dates::CivilDate> earliest;
    json row;
  };
  std::vector<Dated> events;
  json relations = json::array(), testimonies = json::array();
  for (const auto& linked_id : links.Linked(id)) {
    auto opened = viewer.Open(v, linked_id);
    if (!opened.ok()) continue;  // not readable by this viewer
    const auto& r = opened->record;
    auto refers = PeopleReferredTo(r);
    if (std::find(refers.begin(), refers.end(), id) == refers.end()) continue;  // changed since
    if (r.type == model::RecordType::kEvent) {
      Dated d;
      std::string date = Str(r.doc, "date");
      if (auto p = dates::Parse(date); p.ok()) d.earliest = p->earliest;
      d.row = {{"id", r.id},
               {"date", date},
               {"kind", Label(lang, "kind", Str(r.doc, "kind"))},
               {"place", Str(r.doc, "place")},
               {"confidence", Label(lang, "confidence", Str(r.doc, "confidence"))},
               {"notes", Str(r.doc, "notes")}};
      events.push_back(std::move(d));
    } else if (r.type == model::RecordType::kRelation) {
      std::string from = Str(r.doc, "from"), to = Str(r.doc, "to");
      auto title_of = [&](const std::string& pid) {
        if (pid == id) return RecordTitle(person.record);
        auto other = viewer.Open(v, pid);
        return other.ok() ? RecordTitle(other->record) : pid;
      };
      relations.push_back({{"from_href", RecordHref("person", from)},
                           {"from", title_of(from)},
                           {"to_href", RecordHref("person", to)},
                           {"to", title_of(to)},
                           {"kind", Label(lang, "relation", Str(r.doc, "kind"))}});
    } else if (r.type == model::RecordType::kTestimony) {
      testimonies.push_back({{"id", r.id},
                             {"href", RecordHref("testimony", r.id)},
                             {"date", Str(r.doc, "date")},
                             {"summary", Str(r.doc, "summary")}});
    }
  }
  std::stable_sort(events.begin(), events.end(), [](const Dated& a, const Dated& b) {
    if (a.earliest.has_value() != b.earliest.has_value()) return a.earliest.has_value();
    return a.earliest < b.earliest;
  });
  json timeline = json::array();
  for (auto& e : events) timeline.push_back(std::move(e.row));

  return json{{"id", id},
              {"title", RecordTitle(person.record)},
              {"version", std::to_string(person.version)},
              {"names", names},
              {"kind", Label(lang, "kind", Str(doc, "kind"))},
              {"gender", Label(lang, "gender", Str(doc, "gender"))},
              {"birth_date", Str(doc, "birth_date")},
              {"hometown", Str(doc, "hometown")},
              {"ethnicity", Str(doc, "ethnicity")},
              {"notes", Str(doc, "notes")},
              {"timeline", timeline},
              {"has_timeline", !timeline.empty()},
              {"relations", relations},
              {"has_relations", !relations.empty()},
              {"testimonies", testimonies},
              {"has_testimonies", !testimonies.empty()},
              {"add_event_href", "/new/event?person=" + id}};
}

Result<json> RecordModel(vault::Vault& v, const Viewer& viewer, const std::string& id,
                         const std::string& lang) {
  IZDE_ASSIGN_OR_RETURN(auto opened, viewer.Open(v, id));
  json fields = json::array();
  for (auto it = opened.record.doc.begin(); it != opened.record.doc.end(); ++it)
    fields.push_back(
        {{"name", it.key()}, {"value", it->is_string() ? it->get<std::string>() : it->dump(1)}});
  std::string type(model::TypeName(opened.record.type));
  return json{{"id", id},
              {"title", RecordTitle(opened.record)},
              {"type", Label(lang, "type", type)},
              {"version", std::to_string(opened.version)},
              {"is_witness", opened.record.type == model::RecordType::kWitness},
              {"fields", fields}};
}

json PersonFormModel(const IntakeForm& form, const std::string& lang) {
  json m = {{"has_errors", !form.ok()}};
  for (const auto& f : kPersonFormFields) m[f] = Field(form, f, lang);
  m["kind_options"] =
      Options(model::RecordType::kPerson, "kind", ValueOf(form, "kind"), lang, true);
  m["gender_options"] =
      Options(model::RecordType::kPerson, "gender", ValueOf(form, "gender"), lang, true);
  return m;
}

json EventFormModel(const IntakeForm& form, const std::string& lang) {
  json m = {{"has_errors", !form.ok()}};
  for (const auto& f : kEventFormFields) m[f] = Field(form, f, lang);
  m["kind_options"] = Options(model::RecordType::kEvent, "kind", ValueOf(form, "kind"), lang, true);
  m["confidence_options"] =
      Options(model::RecordType::kEvent, "confidence", ValueOf(form, "confidence"), lang, true);
  return m;
}

}  // namespace izde::server
