#include "publish/policy.h"

#include <toml++/toml.h>

#include <algorithm>
#include <vector>

#include "model/schema.h"

namespace izde::publish {
namespace {

using model::RecordType;

struct KindFields {
  RecordType type;
  const char* table;
  std::vector<std::string_view> publishable;  // the most the publication API reveals
};

const std::vector<KindFields>& Kinds() {
  static const std::vector<KindFields> kKinds = {
      {RecordType::kPerson,
       "person",
       {"kind", "gender", "names", "birth_date", "hometown", "ethnicity", "citizenships",
        "identifiers"}},
      {RecordType::kEvent,
       "event",
       {"person", "kind", "date", "place", "facility", "agency", "term_months", "confidence"}},
      {RecordType::kTestimony,
       "testimony",
       {"language", "date", "people", "evidence", "consent", "transcript", "summary"}},
      {RecordType::kFacility, "facility", {"names", "type", "county", "latitude", "longitude"}},
      {RecordType::kEvidence, "evidence", {"media_type", "sha256", "size", "testimony"}},
      {RecordType::kRelation, "relation", {"from", "to", "kind"}},
  };
  return kKinds;
}

const KindFields* KindByTable(std::string_view table) {
  for (const auto& k : Kinds())
    if (table == k.table) return &k;
  return nullptr;
}

bool InSchema(RecordType type, std::string_view field) {
  for (const auto& f : model::FieldsOf(type))
    if (f.name == field) return true;
  return false;
}

std::string At(const std::string& file, const toml::source_region& where) {
  return file + ":" + std::to_string(where.begin.line);
}

}  // namespace

bool Policy::Allows(RecordType type, std::string_view field) const {
  auto it = fields.find(type);
  return it != fields.end() && it->second.count(std::string(field));
}

Policy DefaultPolicy() {
  Policy p;
  for (const auto& k : Kinds())
    for (auto f : k.publishable) p.fields[k.type].insert(std::string(f));
  return p;
}

std::string DefaultPolicyText() {
  std::string out =
      "# izde publication policy (docs/formats/publish-policy.md).\n"
      "# Which fields of which record kinds may ever be public. Consent given in each\n"
      "# testimony still decides per record; this file can only narrow it. Remove a field\n"
      "# (or a whole table) to keep it out of every published byte. Witnesses and sources\n"
      "# are never published.\n";
  for (const auto& k : Kinds()) {
    out += "\n[" + std::string(k.table) + "]\nfields = [";
    for (size_t i = 0; i < k.publishable.size(); ++i)
      out += (i ? ", \"" : "\"") + std::string(k.publishable[i]) + "\"";
    out += "]\n";
    if (k.type == RecordType::kTestimony)
      out += "excerpt_chars = 600   # testimony text shown on entry pages\n";
    if (k.type == RecordType::kEvidence)
      out +=
          "media = true          # copy consented photos and videos, metadata stripped\n"
          "reencode = false      # also re-encode them\n";
  }
  return out;
}

Result<Policy> ParsePolicy(std::string_view text, const std::string& file_name) {
  toml::table root;
  try {
    root = toml::parse(text, file_name);
  } catch (const toml::parse_error& e) {
    return Status::InvalidInput(At(file_name, e.source()) + ": " + std::string(e.description()));
  }
  Policy p;
  for (const auto& [key, node] : root) {
    const std::string table(key.str());
    const std::string where = At(file_name, node.source());
    if (table == "witness" || table == "source")
      return Status::InvalidInput(where + ": [" + table +
                                  "] records are never published; remove this table");
    const KindFields* kind = KindByTable(table);
    if (!kind)
      return Status::InvalidInput(where + ": unknown record kind [" + table +
                                  "]; expected person, event, testimony, facility, evidence "
                                  "or relation");
    const toml::table* t = node.as_table();
    if (!t) return Status::InvalidInput(where + ": '" + table + "' must be a [table]");
    auto& allowed = p.fields[kind->type];
    for (const auto& [k, v] : *t) {
      const std::string name(k.str());
      const std::string at = At(file_name, v.source());
      if (name == "fields") {
        const toml::array* arr = v.as_array();
        if (!arr) return Status::InvalidInput(at + ": fields must be a list of field names");
        for (const auto& f : *arr) {
          const auto* s = f.as_string();
          const std::string fat = At(file_name, f.source());
          if (!s) return Status::InvalidInput(fat + ": a field name must be a string");
          const std::string field = s->get();
          if (!InSchema(kind->type, field))
            return Status::InvalidInput(fat + ": unknown field '" + field + "' of " + table);
          if (std::find(kind->publishable.begin(), kind->publishable.end(), field) ==
              kind->publishable.end())
            return Status::InvalidInput(fat + ": field '" + field + "' of " + table +
                                        " is never published (docs/formats/publish-policy.md)");
          allowed.insert(field);
        }
      } else if (name == "excerpt_chars" && kind->type == RecordType::kTestimony) {
        auto n = v.value<int64_t>();
        if (!n || *n < 0 || *n > 1000000)
          return Status::InvalidInput(at + ": excerpt_chars must be a number from 0 to 1000000");
        p.excerpt_chars = static_cast<size_t>(*n);
      } else if ((name == "media" || name == "reencode") && kind->type == RecordType::kEvidence) {
        auto b = v.value<bool>();
        if (!b) return Status::InvalidInput(at + ": " + name + " must be true or false");
        (name == "media" ? p.media : p.reencode_media) = *b;
      } else {
        return Status::InvalidInput(at + ": unknown setting '" + name + "' in [" + table + "]");
      }
    }
  }
  return p;
}

}  // namespace izde::publish
