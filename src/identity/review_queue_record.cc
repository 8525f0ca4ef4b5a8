#include "identity/review_queue_record.h"

#include "identity/vault_view.h"

namespace izde::identity {

model::Record ToRecord(const ReviewQueueRecord& q) {
  nlohmann::json a = nlohmann::json::array(), b = nlohmann::json::array(),
                 p = nlohmann::json::array(), levels = nlohmann::json::array();
  for (const auto& pair : q.pairs) {
    a.push_back(pair.a);
    b.push_back(pair.b);
    p.push_back(pair.probability);
    std::string digits;
    for (uint8_t l : pair.levels) digits += static_cast<char>('0' + l);
    levels.push_back(digits);
  }
  model::Record r{kQueueRecordId, model::RecordType::kLinkQueue, nlohmann::json::object()};
  r.doc["pairs"] = {
      {"a", a},          {"b", b}, {"probability", p}, {"levels", levels}, {"weights", q.weights},
      {"prior", q.prior}};
  r.doc["fields"] = q.fields;
  r.doc["people"] = q.people;
  r.doc["comparisons"] = q.comparisons;
  return r;
}

Result<ReviewQueueRecord> QueueFromVersion(const vault::OpenedVersion& v) {
  const auto& doc = v.record.doc;
  ReviewQueueRecord q;
  q.version = v.version;
  q.at = v.created_at;
  q.author = v.author;
  const Status bad =
      Status::Corrupt("the review queue " + v.record.id + " version " + std::to_string(v.version) +
                      " is not in the expected form; run izde link again");
  try {
    q.fields = doc.value("fields", std::vector<std::string>{});
    q.people = doc.value("people", uint64_t{0});
    q.comparisons = doc.value("comparisons", uint64_t{0});
    const auto& pairs = doc.at("pairs");
    q.weights = pairs.value("weights", std::vector<std::vector<double>>{});
    q.prior = pairs.value("prior", 0.01);
    const auto& a = pairs.at("a");
    const auto& b = pairs.at("b");
    const auto& p = pairs.at("probability");
    const auto& levels = pairs.at("levels");
    if (a.size() != b.size() || a.size() != p.size() || a.size() != levels.size()) return bad;
    q.pairs.resize(a.size());
    for (size_t i = 0; i < a.size(); ++i) {
      QueuedPair& qp = q.pairs[i];
      qp.a = a[i].get<std::string>();
      qp.b = b[i].get<std::string>();
      qp.probability = p[i].get<double>();
      for (char c : levels[i].get<std::string>()) {
        if (c < '0' || c > '9') return bad;
        qp.levels.push_back(static_cast<uint8_t>(c - '0'));
      }
      if (qp.levels.size() != q.fields.size()) return bad;
    }
  } catch (const nlohmann::json::exception&) {
    return bad;
  }
  return q;
}

}  // namespace izde::identity
