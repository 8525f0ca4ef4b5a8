#include "publish/open_files.h"

#include <nlohmann/json.hpp>

namespace izde::publish {
namespace {

using model::RecordType;

const std::vector<Column> kPeople = {
    {"id", "The person's record id in the group's vault; stable across publications."},
    {"version", "The version of the record that is published."},
    {"log_leaf", "Index of that version's leaf in the group's transparency log."},
    {"name", "The first name form, as recorded."},
    {"names", "Every published name form, as `text [script]`, separated by ` | `."},
    {"gender", "female, male, other or unknown."},
    {"kind", "documented (a person documented as detained or missing) or sought."},
    {"birth_date", "As said in the testimony: partial and uncertain dates allowed ('about 1975')."},
    {"hometown", "Hometown as recorded, in the script it was recorded in."},
    {"ethnicity", "As recorded."},
    {"citizenships", "ISO 3166 country codes separated by `;`."},
    {"identifiers", "Identity numbers as `kind:value`, separated by `;` (only with consent)."},
    {"status", "Kind of the latest dated event (see events.csv `kind`); empty if none."},
    {"first_detained_year", "Year of the earliest `detained` or `held_at_facility` event."},
    {"testimonies", "Ids of the published testimonies about this person, separated by `;`."},
};
const std::vector<Column> kEvents = {
    {"id", "The event's record id."},
    {"version", "Published version."},
    {"log_leaf", "Leaf index in the transparency log."},
    {"person", "Id of the person (people.csv `id`)."},
    {"kind",
     "detained, interrogated, held_at_facility, transferred, sentenced, released, house_arrest, "
     "travel_restricted, passport_confiscated, forced_labour, disappeared, contact_lost, "
     "contact_restored, died or other."},
    {"date", "As said: partial and uncertain dates allowed ('spring 2018')."},
    {"place", "Place as recorded."},
    {"facility", "Id of the facility (facilities.csv `id`), if known."},
    {"facility_name", "First name form of that facility."},
    {"agency", "The agency said to be responsible, as recorded."},
    {"term_months", "Length of a sentence, in months."},
    {"confidence", "confirmed, probable, possible or unknown."},
};
const std::vector<Column> kTestimonies = {
    {"id", "The testimony's record id. The witness who gave it is never published."},
    {"version", "Published version."},
    {"log_leaf", "Leaf index in the transparency log."},
    {"date", "When the testimony was recorded."},
    {"language", "Language of the testimony (kk, ug, ru, zh, en, uz, ky, tr, other)."},
    {"people", "Ids of the people it speaks about, separated by `;`."},
    {"summary", "Summary (only when the witness consented to publishing the testimony text)."},
    {"transcript", "Full text (only with that consent)."},
    {"evidence", "Ids of published evidence files, separated by `;`."},
};
const std::vector<Column> kRelations = {
    {"id", "The relation's record id."},
    {"version", "Published version."},
    {"log_leaf", "Leaf index in the transparency log."},
    {"from", "Id of a person."},
    {"kind",
     "How `from` is related to `to`: parent (from is a parent of to), child, spouse, sibling, "
     "grandparent, grandchild, in_law, other."},
    {"to", "Id of the other person. Both people are published with their names."},
};
const std::vector<Column> kFacilities = {
    {"id", "The facility's record id."},
    {"version", "Published version."},
    {"log_leaf", "Leaf index in the transparency log."},
    {"name", "First name form."},
    {"names", "Every name form, `text [script]`, separated by ` | `."},
    {"type", "camp, prison, detention_centre, police_station or other."},
    {"county", "County as recorded."},
    {"latitude", "WGS 84 degrees."},
    {"longitude", "WGS 84 degrees."},
};
const std::vector<Column> kEvidence = {
    {"id", "The evidence record's id."},
    {"version", "Published version."},
    {"log_leaf", "Leaf index of the record in the transparency log."},
    {"file_log_leaf", "Leaf index of the file's hash in the transparency log."},
    {"media_type", "MIME type of the original file."},
    {"sha256", "SHA-256 of the original file (as kept in the vault, with its metadata)."},
    {"size", "Size of the original file in bytes."},
    {"testimony", "Id of the testimony it belongs to."},
    {"published_file",
     "Path of the published copy under the site root (metadata removed; its hash differs "
     "from `sha256`); empty when not published."},
};

std::string Text(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  return v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string F(const PublicRecord& r, const char* name) {
  auto it = r.fields.find(name);
  return it == r.fields.end() ? "" : Text(*it);
}

std::string List(const PublicRecord& r, const char* name) {
  auto it = r.fields.find(name);
  if (it == r.fields.end()) return "";
  if (!it->is_array()) return Text(*it);
  std::string out;
  for (const auto& x : *it) out += (out.empty() ? "" : ";") + Text(x);
  return out;
}

std::string NameForms(const PublicRecord& r) {
  auto it = r.fields.find("names");
  if (it == r.fields.end() || !it->is_array()) return "";
  std::string out;
  for (const auto& n : *it) {
    if (!n.is_object()) continue;
    out += (out.empty() ? "" : " | ") + (n.contains("text") ? Text(n["text"]) : "");
    if (n.contains("script")) out += " [" + Text(n["script"]) + "]";
  }
  return out;
}

std::string FirstName(const PublicRecord& r) {
  auto it = r.fields.find("names");
  if (it == r.fields.end() || !it->is_array() || it->empty() || !(*it)[0].is_object()) return "";
  const auto& n = (*it)[0];
  return n.contains("text") ? Text(n["text"]) : "";
}

std::vector<std::string> Base(const PublicRecord& r) {
  return {r.id, std::to_string(r.version), std::to_string(r.leaf)};
}

}  // namespace

std::vector<OpenTable> OpenTables(const PublicDataset& data,
                                  const std::map<std::string, std::string>& media) {
  OpenTable people{"people", &kPeople, {}}, events{"events", &kEvents, {}},
      testimonies{"testimonies", &kTestimonies, {}}, relations{"relations", &kRelations, {}},
      facilities{"facilities", &kFacilities, {}}, evidence{"evidence", &kEvidence, {}};
  for (const auto& e : data.people) {
    const PublicRecord& p = *e.person;
    auto row = Base(p);
    std::string ids;
    if (auto it = p.fields.find("identifiers"); it != p.fields.end() && it->is_array())
      for (const auto& x : *it)
        if (x.is_object())
          ids += (ids.empty() ? "" : ";") + (x.contains("kind") ? Text(x["kind"]) : "") + ":" +
                 (x.contains("value") ? Text(x["value"]) : "");
    std::string ts;
    for (const auto* t : e.testimonies) ts += (ts.empty() ? "" : ";") + t->id;
    row.insert(row.end(),
               {FirstName(p), NameForms(p), F(p, "gender"), F(p, "kind"), F(p, "birth_date"),
                F(p, "hometown"), F(p, "ethnicity"), List(p, "citizenships"), ids, e.status,
                e.first_detained_year ? std::to_string(e.first_detained_year) : "", ts});
    people.rows.push_back(std::move(row));
  }
  for (const auto& r : data.records) {
    auto row = Base(r);
    switch (r.type) {
      case RecordType::kEvent: {
        std::string fac = F(r, "facility");
        row.insert(row.end(), {F(r, "person"), F(r, "kind"), F(r, "date"), F(r, "place"), fac,
                               fac.empty() ? "" : data.NameOf(fac), F(r, "agency"),
                               F(r, "term_months"), F(r, "confidence")});
        events.rows.push_back(std::move(row));
        break;
      }
      case RecordType::kTestimony:
        row.insert(row.end(), {F(r, "date"), F(r, "language"), List(r, "people"), F(r, "summary"),
                               F(r, "transcript"), List(r, "evidence")});
        testimonies.rows.push_back(std::move(row));
        break;
      case RecordType::kRelation:
        row.insert(row.end(), {F(r, "from"), F(r, "kind"), F(r, "to")});
        relations.rows.push_back(std::move(row));
        break;
      case RecordType::kFacility:
        row.insert(row.end(), {FirstName(r), NameForms(r), F(r, "type"), F(r, "county"),
                               F(r, "latitude"), F(r, "longitude")});
        facilities.rows.push_back(std::move(row));
        break;
      case RecordType::kEvidence: {
        auto leaf = data.evidence_leaf.find(r.id);
        auto m = media.find(r.id);
        row.insert(row.end(), {leaf == data.evidence_leaf.end() ? "" : std::to_string(leaf->second),
                               F(r, "media_type"), F(r, "sha256"), F(r, "size"), F(r, "testimony"),
                               m == media.end() ? "" : m->second});
        evidence.rows.push_back(std::move(row));
        break;
      }
      default:
        break;
    }
  }
  return {people, events, testimonies, relations, facilities, evidence};
}

std::string CsvCell(const std::string& value) {
  std::string v = value;
  if (!v.empty() &&
      (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r'))
    v = "'" + v;
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string CsvFile(const OpenTable& table) {
  std::string out;
  for (size_t i = 0; i < table.columns->size(); ++i)
    out += (i ? "," : "") + std::string((*table.columns)[i].name);
  out += "\r\n";
  for (const auto& row : table.rows) {
    for (size_t i = 0; i < row.size(); ++i) out += (i ? "," : "") + CsvCell(row[i]);
    out += "\r\n";
  }
  return out;
}

std::string PeopleJson(const PublicDataset& data) {
  // Written piece by piece (no JSON tree of the whole file: 110 MB at 100,000 people),
  // one person per line, members in name order.
  auto text = [](const std::string& s) {
    return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  };
  std::string out;
  auto record_members = [&](const PublicRecord& r) {
    out += "\"fields\":";
    out += r.fields.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    out += ",\"id\":" + text(r.id) + ",\"log_leaf\":" + std::to_string(r.leaf);
  };
  auto list = [&](const char* name, const std::vector<const PublicRecord*>& records) {
    out += std::string("\"") + name + "\":[";
    for (size_t i = 0; i < records.size(); ++i) {
      out += i ? ",{" : "{";
      record_members(*records[i]);
      out += ",\"version\":" + std::to_string(records[i]->version) + "}";
    }
    out += "],";
  };
  out += "{\"format\":\"izde-open-data/v1\",\"log_origin\":" + text(data.origin) +
         ",\"log_size\":" + std::to_string(data.log_size) + ",\"people\":[\n";
  for (size_t i = 0; i < data.people.size(); ++i) {
    const auto& e = data.people[i];
    out += '{';
    list("events", e.events);
    list("evidence", e.evidence);
    record_members(*e.person);
    out += ',';
    list("relations", e.relations);
    out += "\"status\":" + text(e.status) + ",";
    list("testimonies", e.testimonies);
    out += "\"version\":" + std::to_string(e.person->version) + "}";
    out += i + 1 < data.people.size() ? ",\n" : "\n";
  }
  out += "]}\n";
  return out;
}

std::string FollowTheMoney(const PublicDataset& data) {
  std::string out;
  auto emit = [&](const nlohmann::json& entity) {
    out += entity.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    out += '\n';
  };
  auto put = [](nlohmann::json& props, const char* name, const std::string& value) {
    if (!value.empty()) props[name].push_back(value);
  };
  for (const auto& e : data.people) {
    const PublicRecord& p = *e.person;
    nlohmann::json props = nlohmann::json::object();
    if (auto it = p.fields.find("names"); it != p.fields.end() && it->is_array())
      for (size_t i = 0; i < it->size(); ++i)
        if ((*it)[i].is_object() && (*it)[i].contains("text"))
          put(props, i == 0 ? "name" : "alias", Text((*it)[i]["text"]));
    put(props, "gender", F(p, "gender"));
    put(props, "birthDate", F(p, "birth_date"));
    put(props, "ethnicity", F(p, "ethnicity"));
    put(props, "address", F(p, "hometown"));
    if (auto it = p.fields.find("citizenships"); it != p.fields.end() && it->is_array())
      for (const auto& c : *it) {
        std::string code = Text(c);
        for (auto& ch : code) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        put(props, "nationality", code);
      }
    if (auto it = p.fields.find("identifiers"); it != p.fields.end() && it->is_array())
      for (const auto& x : *it)
        if (x.is_object() && x.contains("value")) put(props, "idNumber", Text(x["value"]));
    put(props, "recordId", p.id);
    if (!e.status.empty()) put(props, "notes", "last known status: " + e.status);
    emit({{"id", "izde-" + p.id}, {"schema", "Person"}, {"properties", props}});
  }
  for (const auto& r : data.records) {
    nlohmann::json props = nlohmann::json::object();
    if (r.type == RecordType::kEvent) {
      std::string kind = F(r, "kind");
      put(props, "name", kind.empty() ? "event" : kind);
      put(props, "date", F(r, "date"));
      std::string where = F(r, "place");
      if (auto fac = F(r, "facility"); !fac.empty())
        where += (where.empty() ? "" : ", ") + data.NameOf(fac);
      put(props, "location", where);
      if (auto person = F(r, "person"); !person.empty()) put(props, "involved", "izde-" + person);
      put(props, "recordId", r.id);
      emit({{"id", "izde-" + r.id}, {"schema", "Event"}, {"properties", props}});
    } else if (r.type == RecordType::kRelation) {
      // FtM reads `relationship` from `person`'s side: the relative is the person's <kind>.
      put(props, "person", "izde-" + F(r, "to"));
      put(props, "relative", "izde-" + F(r, "from"));
      put(props, "relationship", F(r, "kind"));
      put(props, "recordId", r.id);
      emit({{"id", "izde-" + r.id}, {"schema", "Family"}, {"properties", props}});
    }
  }
  return out;
}

std::string OpenDataReadme(const std::vector<OpenTable>& tables, bool xlsx) {
  std::string out =
      "# Open data\n\n"
      "The records of this site whose publication was consented, as files. Generated by\n"
      "`izde publish`; the format is described in izde's docs/formats/publish-open-files.md.\n"
      "Every value here is also in `../proof/bundle.json`, where it can be verified against the\n"
      "group's signed log with `izde verify` (see the site's Verify page). Witnesses are never\n"
      "published. Dates are kept as they were said (\"spring 2018\", \"about 1975\").\n\n"
      "## Files\n\n"
      "- `people.json` — one object per person, with the person's published events,\n"
      "  testimonies, relations and evidence records (`fields` holds the published fields).\n"
      "- `entities.ftm.json` — FollowTheMoney entities (one JSON object per line) for Aleph:\n"
      "  `Person` (name and alias from the name forms, gender, birthDate, nationality,\n"
      "  ethnicity, idNumber, address = hometown as recorded, recordId), `Event` (name = the\n"
      "  event kind, date, location, involved = the person) and `Family` (person, relative,\n"
      "  relationship). Entity ids are `izde-` and the record id.\n";
  for (const auto& t : tables) out += "- `" + t.name + ".csv` — the columns below.\n";
  if (xlsx)
    out +=
        "- `izde-open-data.xlsx` — the same tables, one sheet each (a cell holds at most\n"
        "  32,000 bytes, Excel's limit; the CSV and JSON files keep longer texts whole).\n";
  out +=
      "\nCSV files are UTF-8 with a header row, comma-separated, CRLF line ends, quoted as\n"
      "RFC 4180. A value that a spreadsheet would run as a formula (starting with `=`, `+`,\n"
      "`-`, `@`) is written with a leading `'`.\n";
  for (const auto& t : tables) {
    out += "\n## " + t.name + ".csv (" + std::to_string(t.rows.size()) +
           " rows)\n\n| column | meaning |\n|---|---|\n";
    for (const auto& c : *t.columns)
      out += "| `" + std::string(c.name) + "` | " + std::string(c.meaning) + " |\n";
  }
  return out;
}

}  // namespace izde::publish
