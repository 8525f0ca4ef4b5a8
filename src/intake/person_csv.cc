#include "intake/person_csv.h"

#include <algorithm>
#include <map>

#include "dates/partial_date.h"
#include "model/validation.h"

namespace izde::intake {
namespace {

const std::vector<std::string> kColumns = {"id",          "name",   "given_name", "family_name",
                                           "father_name", "gender", "birth_date", "hometown",
                                           "id_number",   "source", "notes"};

// Name columns and the name part each becomes.
const std::vector<std::pair<std::string, std::string>> kNameColumns = {{"name", "full"},
                                                                       {"given_name", "given"},
                                                                       {"family_name", "family"},
                                                                       {"father_name", "father"}};

std::string Trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t");
  if (a == std::string::npos) return "";
  size_t b = s.find_last_not_of(" \t");
  return s.substr(a, b - a + 1);
}

std::string Lower(std::string s) {
  for (auto& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// Spellings volunteers use for gender, mapped to the model's values.
Result<std::string> ParseGender(const std::string& raw) {
  static const std::map<std::string, std::string> kForms = {
      {"f", "female"},        {"female", "female"}, {"w", "female"},   {"woman", "female"},
      {"ж", "female"},        {"әйел", "female"},   {"жен", "female"}, {"女", "female"},
      {"m", "male"},          {"male", "male"},     {"man", "male"},   {"ер", "male"},
      {"м", "male"},          {"муж", "male"},      {"男", "male"},    {"other", "other"},
      {"unknown", "unknown"}, {"?", "unknown"}};
  auto it = kForms.find(Lower(raw));
  if (it != kForms.end()) return it->second;
  return Status::InvalidInput("'" + raw +
                              "' is not a gender izde knows; write female, male, "
                              "other or unknown (or f / m)");
}

// The kind of an identity number, from its shape. Check digits are verified
// by the identifiers module, not here: a number copied with a typo from a
// leaked list is still evidence and must be kept as written.
std::string IdentifierKind(const std::string& v) {
  auto digits = [&](size_t from, size_t to) {
    return std::all_of(v.begin() + static_cast<long>(from), v.begin() + static_cast<long>(to),
                       [](char c) { return c >= '0' && c <= '9'; });
  };
  if (v.size() == 18 && digits(0, 17) &&
      (std::isdigit(static_cast<unsigned char>(v[17])) || v[17] == 'X' || v[17] == 'x'))
    return "prc_id";
  if (v.size() == 12 && digits(0, 12)) return "kz_iin";
  return "other";
}

// Maps a model validation message ("birth_date: ...") back to a CSV column.
std::string ColumnOfField(const std::string& message) {
  static const std::map<std::string, std::string> kFieldToColumn = {
      {"names", "name"}, {"identifiers", "id_number"}, {"sources", "source"}};
  size_t colon = message.find(':');
  std::string field = message.substr(0, colon);
  auto it = kFieldToColumn.find(field);
  return it != kFieldToColumn.end() ? it->second : field;
}

Result<model::Record> RowToPerson(const csv::Row& row) {
  auto get = [&](const char* col) {
    const std::string* f = row.Find(col);
    return f ? Trim(*f) : std::string();
  };
  model::Record r;
  r.type = model::RecordType::kPerson;
  r.id = get("id");
  if (r.id.empty()) return Status::InvalidInput(row.Where("id") + ": the id is empty");
  if (Status s = model::ValidateRecordId(r.id); !s.ok())
    return Status::InvalidInput(row.Where("id") + ": " + s.message());
  std::string source = get("source");
  if (!source.empty()) {
    if (Status s = model::ValidateRecordId(source); !s.ok())
      return Status::InvalidInput(row.Where("source") + ": the source must be a record id; " +
                                  s.message());
    r.doc["sources"] = {source};
  }
  nlohmann::json names = nlohmann::json::array();
  for (const auto& [col, part] : kNameColumns) {
    std::string v = get(col.c_str());
    if (v.empty()) continue;
    nlohmann::json form = {{"text", v}, {"part", part}};
    if (!source.empty()) form["source"] = source;
    names.push_back(std::move(form));
  }
  if (names.empty())
    return Status::InvalidInput(row.Where() +
                                ": no name; fill at least one of name, given_name, family_name");
  r.doc["names"] = std::move(names);
  if (std::string g = get("gender"); !g.empty()) {
    auto parsed = ParseGender(g);
    if (!parsed.ok())
      return Status::InvalidInput(row.Where("gender") + ": " + parsed.status().message());
    r.doc["gender"] = *parsed;
  }
  if (std::string d = get("birth_date"); !d.empty()) {
    auto parsed = dates::Parse(d);
    if (!parsed.ok())
      return Status::InvalidInput(row.Where("birth_date") + ": " + parsed.status().message());
    r.doc["birth_date"] = d;
  }
  if (std::string h = get("hometown"); !h.empty()) r.doc["hometown"] = h;
  if (std::string n = get("id_number"); !n.empty()) {
    nlohmann::json ident = {{"kind", IdentifierKind(n)}, {"value", n}};
    if (!source.empty()) ident["source"] = source;
    r.doc["identifiers"] = {ident};
  }
  if (std::string n = get("notes"); !n.empty()) r.doc["notes"] = n;
  if (Status s = model::Validate(r); !s.ok())
    return Status::InvalidInput(row.Where(ColumnOfField(s.message())) + ": " +
                                s.message().substr(s.message().find(':') + 2));
  return r;
}

Status CheckHeader(const std::vector<std::string>& header, const std::string& file) {
  std::string known;
  for (const auto& c : kColumns) known += (known.empty() ? "" : ",") + c;
  for (const auto& h : header)
    if (std::find(kColumns.begin(), kColumns.end(), h) == kColumns.end())
      return Status::InvalidInput(file + " row 1: unknown column '" + h +
                                  "'; the person CSV columns are: " + known);
  if (std::find(header.begin(), header.end(), "id") == header.end())
    return Status::InvalidInput(file + " row 1: there is no 'id' column; every person needs an id");
  bool has_name = std::any_of(kNameColumns.begin(), kNameColumns.end(), [&](const auto& nc) {
    return std::find(header.begin(), header.end(), nc.first) != header.end();
  });
  if (!has_name)
    return Status::InvalidInput(file +
                                " row 1: there is no name column; add name, given_name or "
                                "family_name");
  return Status::Ok();
}

}  // namespace

const std::vector<std::string>& PersonCsvColumns() { return kColumns; }

Result<PersonCsv> ReadPersonCsv(csv::Reader& reader, bool keep_going,
                                const std::function<void(uint64_t)>& progress) {
  PersonCsv out;
  IZDE_ASSIGN_OR_RETURN(out.header, reader.ReadHeader());
  IZDE_RETURN_IF_ERROR(CheckHeader(out.header, reader.columns()->file));
  std::map<std::string, size_t> first_row_of_id;
  size_t n = 0;
  while (true) {
    auto next = reader.Next();
    if (!next.ok()) {
      // A row-level problem leaves the reader usable; a fatal one repeats.
      if (!keep_going) return next.status();
      auto again = reader.Next();
      if (!again.ok() && again.status().message() == next.status().message()) return next.status();
      out.rejected.push_back({reader.row_number(), {}, next.status().message()});
      if (!again.ok()) {
        out.rejected.push_back({reader.row_number(), {}, again.status().message()});
        continue;
      }
      next = std::move(again);
    }
    if (!next->has_value()) break;
    const csv::Row& row = **next;
    if (progress && (++n % 4096 == 0)) progress(reader.bytes_read());
    auto person = RowToPerson(row);
    if (person.ok()) {
      auto [it, fresh] = first_row_of_id.emplace(person->id, row.number);
      if (!fresh)
        person = Status::InvalidInput(row.Where("id") + ": the id '" + person->id +
                                      "' is already used in row " + std::to_string(it->second));
    }
    if (!person.ok()) {
      if (!keep_going) return person.status();
      out.rejected.push_back({row.number, row.fields, person.status().message()});
      continue;
    }
    out.people.push_back(std::move(person).value());
  }
  if (progress) progress(reader.bytes_read());
  return out;
}

std::vector<std::string> PersonCsvRow(const model::Record& p) {
  std::vector<std::string> row(kColumns.size());
  auto set = [&](const std::string& col, const std::string& v) {
    auto it = std::find(kColumns.begin(), kColumns.end(), col);
    row[static_cast<size_t>(it - kColumns.begin())] = v;
  };
  set("id", p.id);
  const auto& d = p.doc;
  if (d.contains("names"))
    for (const auto& f : d["names"]) {
      std::string part = f.value("part", "full");
      for (const auto& [col, p2] : kNameColumns)
        if (p2 == part || (part == "patronymic" && col == "father_name"))
          if (row[static_cast<size_t>(std::find(kColumns.begin(), kColumns.end(), col) -
                                      kColumns.begin())]
                  .empty())
            set(col, f.value("text", ""));
    }
  set("gender", d.value("gender", ""));
  set("birth_date", d.value("birth_date", ""));
  set("hometown", d.value("hometown", ""));
  if (d.contains("identifiers") && !d["identifiers"].empty())
    set("id_number", d["identifiers"][0].value("value", ""));
  if (d.contains("sources") && !d["sources"].empty())
    set("source", d["sources"][0].get<std::string>());
  set("notes", d.value("notes", ""));
  return row;
}

}  // namespace izde::intake
