#include "server/intake_form.h"

#include "dates/partial_date.h"
#include "model/schema.h"
#include "model/text.h"

namespace izde::server {
namespace {

// Form fields are short; long text belongs in testimonies (a later form).
constexpr size_t kMaxFieldBytes = 4000;

std::string Value(const FormParams& params, const std::string& name) {
  auto it = params.find(name);
  return it == params.end() ? "" : it->second;
}

std::string Trim(std::string s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

// Reads every field, checks encoding and length; returns the trimmed values.
IntakeForm ReadFields(const FormParams& params, const std::vector<std::string>& fields) {
  IntakeForm f;
  for (const auto& name : fields) {
    std::string v = Value(params, name);
    if (!model::IsValidUtf8(v)) {
      f.errors[name] = "err_not_utf8";
      v.clear();
    } else if (v.size() > kMaxFieldBytes) {
      f.errors[name] = "err_too_long";
    }
    f.values[name] = Trim(v);
  }
  return f;
}

bool IsChoice(model::RecordType type, const std::string& field, const std::string& value) {
  for (const auto& spec : model::FieldsOf(type))
    if (spec.name == field)
      for (const auto& c : spec.choices)
        if (c == value) return true;
  return false;
}

void CheckChoice(IntakeForm& f, model::RecordType type, const std::string& field, bool required) {
  const std::string& v = f.values[field];
  if (v.empty()) {
    if (required) f.errors.try_emplace(field, "err_required");
    return;
  }
  if (!IsChoice(type, field, v))
    f.errors.try_emplace(field, "err_choice");
  else
    f.record.doc[field] = v;
}

void CheckDate(IntakeForm& f, const std::string& field) {
  const std::string& v = f.values[field];
  if (v.empty() || f.errors.count(field)) return;
  if (!dates::Parse(v).ok())
    f.errors[field] = "err_date";
  else
    f.record.doc[field] = v;
}

void CopyText(IntakeForm& f, const std::string& field) {
  const std::string& v = f.values[field];
  if (!v.empty() && !f.errors.count(field)) f.record.doc[field] = v;
}

}  // namespace

IntakeForm ReadPersonForm(const FormParams& params) {
  IntakeForm f = ReadFields(params, kPersonFormFields);
  f.record.type = model::RecordType::kPerson;
  f.record.id = model::NewRecordId(model::RecordType::kPerson);
  nlohmann::json names = nlohmann::json::array();
  for (const char* field : {"name1", "name2", "name3"})
    if (!f.values[field].empty() && !f.errors.count(field))
      names.push_back({{"text", f.values[field]}, {"part", "full"}});
  if (names.empty()) f.errors.try_emplace("name1", "err_required");
  f.record.doc["names"] = names;
  CheckChoice(f, model::RecordType::kPerson, "kind", false);
  CheckChoice(f, model::RecordType::kPerson, "gender", false);
  CheckDate(f, "birth_date");
  CopyText(f, "hometown");
  CopyText(f, "notes");
  return f;
}

IntakeForm ReadEventForm(const FormParams& params,
                         const std::function<bool(const std::string&)>& is_person) {
  IntakeForm f = ReadFields(params, kEventFormFields);
  f.record.type = model::RecordType::kEvent;
  f.record.id = model::NewRecordId(model::RecordType::kEvent);
  const std::string& person = f.values["person"];
  if (person.empty())
    f.errors.try_emplace("person", "err_required");
  else if (!model::ValidateRecordId(person).ok() || !is_person(person))
    f.errors.try_emplace("person", "err_no_person");
  else
    f.record.doc["person"] = person;
  CheckChoice(f, model::RecordType::kEvent, "kind", true);
  CheckChoice(f, model::RecordType::kEvent, "confidence", false);
  CheckDate(f, "date");
  CopyText(f, "place");
  CopyText(f, "notes");
  return f;
}

std::string FieldOfError(const std::string& message, const std::vector<std::string>& fields) {
  // Messages are "context: context: field: problem"; the field is the first
  // segment that names a document field.
  size_t pos = 0;
  while (pos < message.size()) {
    size_t end = message.find(": ", pos);
    if (end == std::string::npos) break;
    std::string segment = message.substr(pos, end - pos);
    if (segment.rfind("names", 0) == 0) return "name1";
    for (const auto& f : fields)
      if (segment == f) return f;
    pos = end + 2;
  }
  return "";
}

}  // namespace izde::server
