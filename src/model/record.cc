#include "model/record.h"

#include <sodium.h>

#include <array>

#include "model/validation.h"

namespace izde::model {
namespace {

struct TypeEntry {
  RecordType type;
  std::string_view name;
};
constexpr std::array<TypeEntry, 11> kTypes = {{
    {RecordType::kPerson, "person"},
    {RecordType::kRelation, "relation"},
    {RecordType::kWitness, "witness"},
    {RecordType::kTestimony, "testimony"},
    {RecordType::kSource, "source"},
    {RecordType::kEvidence, "evidence"},
    {RecordType::kEvent, "event"},
    {RecordType::kFacility, "facility"},
    {RecordType::kLink, "link"},
    {RecordType::kLinkQueue, "link_queue"},
    {RecordType::kNotice, "notice"},
}};

}  // namespace

std::string_view TypeName(RecordType t) {
  for (const auto& e : kTypes)
    if (e.type == t) return e.name;
  return "unknown";
}

std::optional<RecordType> ParseType(std::string_view name) {
  for (const auto& e : kTypes)
    if (e.name == name) return e.type;
  return std::nullopt;
}

std::string TypeList() {
  std::string out;
  for (const auto& e : kTypes) {
    if (!out.empty()) out += ", ";
    out += e.name;
  }
  return out;
}

Status ValidateRecordId(std::string_view id) {
  if (id.empty()) return Status::InvalidInput("the id is empty");
  if (id.size() > 64)
    return Status::InvalidInput("the id '" + std::string(id.substr(0, 20)) +
                                "...' is longer than 64 characters");
  for (char c : id) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok)
      return Status::InvalidInput(
          "the id may contain only Latin letters, digits, '.', '_' and '-' (ids are stored "
          "unencrypted, so never put a name in an id)");
  }
  return Status::Ok();
}

std::string NewRecordId(RecordType t) {
  static constexpr char kAlphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string id(TypeName(t));
  id += '-';
  for (int i = 0; i < 10; ++i) id += kAlphabet[randombytes_uniform(32)];
  return id;
}

Status Validate(const Record& r) {
  IZDE_RETURN_IF_ERROR(ValidateRecordId(r.id).Within("id"));
  if (!r.doc.is_object()) return Status::InvalidInput("the record must be a JSON object");
  return ValidateDocument(r.type, r.doc);
}

}  // namespace izde::model
