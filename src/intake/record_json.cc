#include "intake/record_json.h"

#include <fstream>
#include <set>

namespace izde::intake {

Result<model::Record> RecordFromJson(nlohmann::json obj, const std::string& type_hint) {
  if (!obj.is_object()) return Status::InvalidInput("a record must be a JSON object");
  std::string type_name = type_hint;
  if (obj.contains("type")) {
    if (!obj["type"].is_string()) return Status::InvalidInput("\"type\" must be text");
    std::string given = obj["type"];
    if (!type_hint.empty() && given != type_hint)
      return Status::InvalidInput("the record says type '" + given + "' but '" + type_hint +
                                  "' was asked for");
    type_name = given;
    obj.erase("type");
  }
  if (type_name.empty())
    return Status::InvalidInput("the record has no \"type\" (one of: " + model::TypeList() + ")");
  auto type = model::ParseType(type_name);
  if (!type)
    return Status::InvalidInput("unknown record type '" + type_name +
                                "' (known: " + model::TypeList() + ")");
  model::Record r;
  r.type = *type;
  if (obj.contains("id")) {
    if (!obj["id"].is_string()) return Status::InvalidInput("\"id\" must be text");
    r.id = obj["id"];
    obj.erase("id");
  } else {
    r.id = model::NewRecordId(r.type);
  }
  r.doc = std::move(obj);
  IZDE_RETURN_IF_ERROR(model::Validate(r));
  return r;
}

Result<std::vector<model::Record>> ReadRecordsJson(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Status::Io("cannot read " + path);
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(f);
  } catch (const nlohmann::json::parse_error& e) {
    // e.byte is the position; the library's text says what was expected.
    std::string what = e.what();
    size_t cut = what.find("parse error");
    return Status::InvalidInput(path + ": not valid JSON at byte " + std::to_string(e.byte) + " (" +
                                (cut != std::string::npos ? what.substr(cut) : what) + ")");
  }
  const nlohmann::json* list = &doc;
  if (doc.is_object() && doc.contains("records")) list = &doc["records"];
  if (!list->is_array())
    return Status::InvalidInput(path + ": expected {\"records\": [...]} or a list of records");
  std::vector<model::Record> out;
  std::set<std::string> ids;
  for (size_t i = 0; i < list->size(); ++i) {
    const auto& item = (*list)[i];
    std::string where = path + " record " + std::to_string(i + 1);
    if (item.is_object() && item.contains("id") && item["id"].is_string())
      where += " (id " + item["id"].get<std::string>() + ")";
    auto r = RecordFromJson(item, "");
    if (!r.ok()) return r.status().Within(where);
    if (!ids.insert(r->id).second)
      return Status::InvalidInput(where + ": the id is used by an earlier record in this file");
    out.push_back(std::move(r).value());
  }
  return out;
}

nlohmann::json RecordToJson(const model::Record& r) {
  nlohmann::json j = r.doc;
  j["type"] = model::TypeName(r.type);
  j["id"] = r.id;
  return j;
}

}  // namespace izde::intake
