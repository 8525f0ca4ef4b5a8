#include "identity/decision.h"

#include "model/record.h"

namespace izde::identity {

std::string_view DecisionName(Decision d) {
  switch (d) {
    case Decision::kSame:
      return "same";
    case Decision::kDifferent:
      return "different";
    case Decision::kUndecided:
      break;
  }
  return "undecided";
}

Result<Decision> ParseDecision(std::string_view name) {
  if (name == "same") return Decision::kSame;
  if (name == "different") return Decision::kDifferent;
  if (name == "undecided") return Decision::kUndecided;
  return Status::InvalidInput("'" + std::string(name) +
                              "' is not a decision: use same, different or undecided");
}

std::string PairKey(const std::string& a, const std::string& b) {
  return a < b ? a + "+" + b : b + "+" + a;
}

Result<std::pair<std::string, std::string>> ParsePairKey(const std::string& key) {
  const size_t plus = key.find('+');
  if (plus == std::string::npos || key.find('+', plus + 1) != std::string::npos)
    return Status::InvalidInput("'" + key +
                                "' is not a pair: write the two person ids joined by '+', "
                                "e.g. P-1+P-2");
  std::string a = key.substr(0, plus), b = key.substr(plus + 1);
  IZDE_RETURN_IF_ERROR(model::ValidateRecordId(a).Within("pair '" + key + "'"));
  IZDE_RETURN_IF_ERROR(model::ValidateRecordId(b).Within("pair '" + key + "'"));
  if (a == b) return Status::InvalidInput("pair '" + key + "' names the same person twice");
  if (b < a) std::swap(a, b);
  return std::make_pair(a, b);
}

Result<PairDecision> DecisionFromVersion(const vault::OpenedVersion& v) {
  if (v.record.type != model::RecordType::kLink)
    return Status::InvalidInput(v.record.id + " is not a link record");
  const auto& doc = v.record.doc;
  PairDecision d;
  d.record_id = v.record.id;
  d.a = doc.value("a", "");
  d.b = doc.value("b", "");
  if (d.b < d.a) std::swap(d.a, d.b);
  IZDE_ASSIGN_OR_RETURN(d.decision, ParseDecision(doc.value("decision", "")));
  d.sequence = static_cast<int64_t>(doc.value("sequence", 0.0));
  d.version = v.version;
  d.at = v.created_at;
  d.author = v.author;
  if (doc.contains("probability") && doc["probability"].is_number())
    d.probability = doc["probability"].get<double>();
  if (doc.contains("levels") && doc["levels"].is_object()) d.levels = doc["levels"];
  d.notes = doc.value("notes", "");
  d.undoes = static_cast<int64_t>(doc.value("undoes", 0.0));
  return d;
}

model::Record DecisionRecord(const PairDecision& d) {
  model::Record r{d.record_id, model::RecordType::kLink, nlohmann::json::object()};
  r.doc["a"] = d.a;
  r.doc["b"] = d.b;
  r.doc["decision"] = std::string(DecisionName(d.decision));
  r.doc["sequence"] = d.sequence;
  if (d.probability) r.doc["probability"] = *d.probability;
  if (!d.levels.empty()) r.doc["levels"] = d.levels;
  if (!d.notes.empty()) r.doc["notes"] = d.notes;
  if (d.undoes > 0) r.doc["undoes"] = d.undoes;
  return r;
}

}  // namespace izde::identity
