#include "model/validation.h"

#include <algorithm>

#include "dates/partial_date.h"
#include "model/schema.h"
#include "model/text.h"

namespace izde::model {
namespace {

using nlohmann::json;

// Long enough for a transcript of a two-hour interview; short enough that a
// runaway paste is caught.
constexpr size_t kMaxTextBytes = 4 << 20;
constexpr size_t kMaxNameBytes = 1000;

std::string Join(const std::vector<std::string_view>& v) {
  std::string out;
  for (auto s : v) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

Status CheckText(const json& v, size_t max_bytes) {
  if (!v.is_string()) return Status::InvalidInput("must be text");
  const auto& s = v.get_ref<const std::string&>();
  if (!IsValidUtf8(s)) return Status::InvalidInput("is not valid UTF-8 text");
  if (s.size() > max_bytes)
    return Status::InvalidInput("is longer than " + std::to_string(max_bytes) + " bytes");
  return Status::Ok();
}

Status CheckEnum(const json& v, const std::vector<std::string_view>& choices) {
  if (!v.is_string()) return Status::InvalidInput("must be one of: " + Join(choices));
  const auto& s = v.get_ref<const std::string&>();
  if (std::find(choices.begin(), choices.end(), s) == choices.end())
    return Status::InvalidInput("'" + s + "' is not one of: " + Join(choices));
  return Status::Ok();
}

Status CheckRef(const json& v) {
  if (!v.is_string()) return Status::InvalidInput("must be a record id");
  return ValidateRecordId(v.get_ref<const std::string&>());
}

Status CheckNameForms(const json& v) {
  if (!v.is_array() || v.empty())
    return Status::InvalidInput("needs at least one name form like {\"text\": \"...\"}");
  for (size_t i = 0; i < v.size(); ++i) {
    const json& f = v[i];
    std::string where = "[" + std::to_string(i) + "]";
    if (!f.is_object()) return Status::InvalidInput("must be an object").Within(where);
    for (auto it = f.begin(); it != f.end(); ++it) {
      const std::string& k = it.key();
      if (k == "text") {
        IZDE_RETURN_IF_ERROR(CheckText(*it, kMaxNameBytes).Within(where + ".text"));
        bool blank =
            it->get_ref<const std::string&>().find_first_not_of(" \t\r\n") == std::string::npos;
        if (blank) return Status::InvalidInput("is empty").Within(where + ".text");
      } else if (k == "part") {
        IZDE_RETURN_IF_ERROR(CheckEnum(*it, kNameParts).Within(where + ".part"));
      } else if (k == "script") {
        IZDE_RETURN_IF_ERROR(CheckText(*it, 16).Within(where + ".script"));
      } else if (k == "source") {
        IZDE_RETURN_IF_ERROR(CheckRef(*it).Within(where + ".source"));
      } else {
        return Status::InvalidInput("unknown key '" + k + "' (known: text, part, script, source)")
            .Within(where);
      }
    }
    if (!f.contains("text")) return Status::InvalidInput("has no text").Within(where);
  }
  return Status::Ok();
}

Status CheckIdentifiers(const json& v) {
  if (!v.is_array()) return Status::InvalidInput("must be a list");
  for (size_t i = 0; i < v.size(); ++i) {
    const json& f = v[i];
    std::string where = "[" + std::to_string(i) + "]";
    if (!f.is_object() || !f.contains("value") || !f.contains("kind"))
      return Status::InvalidInput("needs {\"kind\": ..., \"value\": ...}").Within(where);
    for (auto it = f.begin(); it != f.end(); ++it) {
      const std::string& k = it.key();
      if (k == "kind") {
        IZDE_RETURN_IF_ERROR(CheckEnum(*it, kIdentifierKinds).Within(where + ".kind"));
      } else if (k == "value") {
        IZDE_RETURN_IF_ERROR(CheckText(*it, 64).Within(where + ".value"));
      } else if (k == "source") {
        IZDE_RETURN_IF_ERROR(CheckRef(*it).Within(where + ".source"));
      } else {
        return Status::InvalidInput("unknown key '" + k + "' (known: kind, value, source)")
            .Within(where);
      }
    }
  }
  return Status::Ok();
}

Status CheckField(const FieldSpec& spec, const json& v) {
  switch (spec.kind) {
    case FieldKind::kText:
      return CheckText(v, kMaxTextBytes);
    case FieldKind::kEnum:
      return CheckEnum(v, spec.choices);
    case FieldKind::kDate: {
      IZDE_RETURN_IF_ERROR(CheckText(v, 64));
      auto d = dates::Parse(v.get_ref<const std::string&>());
      return d.ok() ? Status::Ok() : d.status();
    }
    case FieldKind::kRecordRef:
      return CheckRef(v);
    case FieldKind::kRefList:
      if (!v.is_array()) return Status::InvalidInput("must be a list of record ids");
      for (size_t i = 0; i < v.size(); ++i)
        IZDE_RETURN_IF_ERROR(CheckRef(v[i]).Within("[" + std::to_string(i) + "]"));
      return Status::Ok();
    case FieldKind::kTextList:
      if (!v.is_array()) return Status::InvalidInput("must be a list of text");
      for (size_t i = 0; i < v.size(); ++i)
        IZDE_RETURN_IF_ERROR(CheckText(v[i], kMaxNameBytes).Within("[" + std::to_string(i) + "]"));
      return Status::Ok();
    case FieldKind::kNameForms:
      return CheckNameForms(v);
    case FieldKind::kIdentifiers:
      return CheckIdentifiers(v);
    case FieldKind::kConsent:
      if (!v.is_object()) return Status::InvalidInput("must be an object of yes/no flags");
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (std::find(kConsentItems.begin(), kConsentItems.end(), it.key()) == kConsentItems.end())
          return Status::InvalidInput("unknown consent item '" + it.key() +
                                      "' (known: " + Join(kConsentItems) + ")");
        if (!it->is_boolean())
          return Status::InvalidInput("must be true or false").Within(it.key());
      }
      return Status::Ok();
    case FieldKind::kNumber: {
      if (!v.is_number()) return Status::InvalidInput("must be a number");
      double d = v.get<double>();
      if (d < spec.min || d > spec.max)
        return Status::InvalidInput(std::to_string(d) + " is outside " + std::to_string(spec.min) +
                                    ".." + std::to_string(spec.max));
      return Status::Ok();
    }
    case FieldKind::kSha256: {
      if (!v.is_string()) return Status::InvalidInput("must be 64 hex characters");
      const auto& s = v.get_ref<const std::string&>();
      bool hex = s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
                   return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                 });
      return hex ? Status::Ok() : Status::InvalidInput("must be 64 lowercase hex characters");
    }
    case FieldKind::kObject:
      return v.is_object() ? Status::Ok() : Status::InvalidInput("must be an object");
  }
  return Status::Ok();
}

}  // namespace

Status ValidateDocument(RecordType type, const json& doc) {
  auto fields = FieldsOf(type);
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    auto spec = std::find_if(fields.begin(), fields.end(),
                             [&](const FieldSpec& f) { return f.name == it.key(); });
    if (spec == fields.end()) {
      std::string known;
      for (const auto& f : fields) known += (known.empty() ? "" : ", ") + std::string(f.name);
      return Status::InvalidInput("unknown field '" + it.key() + "' for a " +
                                  std::string(TypeName(type)) + " (known: " + known + ")");
    }
    if (it->is_null()) continue;
    IZDE_RETURN_IF_ERROR(CheckField(*spec, *it).Within(it.key()));
  }
  for (const auto& f : fields)
    if (f.required && (!doc.contains(f.name) || doc[f.name].is_null()))
      return Status::InvalidInput("a " + std::string(TypeName(type)) + " needs the field '" +
                                  std::string(f.name) + "'");
  if (type == RecordType::kRelation && doc.value("from", "") == doc.value("to", ""))
    return Status::InvalidInput("a person cannot be their own relative (from and to are the same)");
  if (type == RecordType::kLink && doc.value("a", "") == doc.value("b", ""))
    return Status::InvalidInput("a link joins two different people (a and b are the same)");
  return Status::Ok();
}

bool IsNameField(RecordType type, std::string_view field) {
  return (type == RecordType::kPerson || type == RecordType::kFacility) && field == "names";
}

}  // namespace izde::model
