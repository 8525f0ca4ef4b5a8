#include "identity/review_json.h"

#include <ctime>

#include "dates/utc_time.h"

namespace izde::identity {
namespace {

std::string Utc(int64_t t) { return dates::UtcMinute(t) + " UTC"; }

}  // namespace

nlohmann::json PairToJson(const PairView& v) {
  nlohmann::json fields = nlohmann::json::array();
  for (const auto& f : v.fields) {
    nlohmann::json j = {{"field", f.field}, {"level", f.level}, {"a", f.a}, {"b", f.b}};
    j["weight_bits"] = f.weight ? nlohmann::json(*f.weight) : nlohmann::json();
    fields.push_back(j);
  }
  nlohmann::json j = {{"pair", v.pair},
                      {"a", v.a},
                      {"b", v.b},
                      {"queued", v.queued},
                      {"help", v.help},
                      {"cluster_a", v.cluster_a},
                      {"cluster_b", v.cluster_b},
                      {"cluster_size_a", v.size_a},
                      {"cluster_size_b", v.size_b},
                      {"sought_a", v.sought_a},
                      {"sought_b", v.sought_b},
                      {"names_a", v.names_a},
                      {"names_b", v.names_b},
                      {"fields", fields}};
  j["probability"] = v.probability ? nlohmann::json(*v.probability) : nlohmann::json();
  if (v.names) j["name_comparison"] = names::ToJson(*v.names);
  j["decision"] = v.decision ? DecisionToJson(*v.decision) : nlohmann::json();
  return j;
}

nlohmann::json DecisionToJson(const PairDecision& d) {
  nlohmann::json j = {{"id", d.record_id},
                      {"pair", d.pair()},
                      {"a", d.a},
                      {"b", d.b},
                      {"decision", std::string(DecisionName(d.decision))},
                      {"sequence", d.sequence},
                      {"version", d.version},
                      {"author", d.author},
                      {"time", Utc(d.at)},
                      {"notes", d.notes}};
  j["probability"] = d.probability ? nlohmann::json(*d.probability) : nlohmann::json();
  if (d.undoes) j["undoes_version"] = d.undoes;
  return j;
}

nlohmann::json NoticeToJson(const Notice& n) {
  return {{"id", n.record_id},      {"sought", n.sought},
          {"person", n.person},     {"probability", n.probability},
          {"accepted", n.accepted}, {"new_records", n.new_records},
          {"reported", n.reported}, {"status", n.status},
          {"version", n.version},   {"time", Utc(n.at)}};
}

}  // namespace izde::identity
